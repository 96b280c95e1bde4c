"""Translation for the reports: the shared catalog first, then an interim Dutch table.

Every report string is an English msgid marked with ``_`` or ``N_`` (so ``make i18n``
extracts it into the one catalog).  While the Dutch catalog has no translation for a
report string yet, :data:`NL` supplies it; once the catalog has one, the catalog wins.
"""

from __future__ import annotations

from app.i18n import _ as _catalog
from app.i18n import current_language


def _(message: str) -> str:
    """``message`` in the current language (catalog first, then the interim table)."""
    text = _catalog(message)
    if text == message and current_language() == "nl":
        return NL.get(message, message)
    return text


NL: dict[str, str] = {
    "A period applies only to the progress report.":
        "Een periode geldt alleen voor de voortgangsrapportage.",
    "absent": "afwezig",
    "Action": "Actie",
    "Action list of the meeting": "Actielijst van het overleg",
    "Action plan": "Plan van aanpak",
    "Actions and interventions": "Acties en interventies",
    "Actions completed": "Afgeronde acties",
    "Actions without a goal": "Acties zonder doel",
    "Adjustments decided in the period": "Bijsturing besloten in de periode",
    "Agenda item {n}: {case}": "Agendapunt {n}: {case}",
    "Agreed actions": "Afgesproken acties",
    "Agreed actions to inform persons concerned and the reporter":
        "Afgesproken acties om betrokkenen en de melder te informeren",
    "Attendance": "Aanwezigheid",
    "Basis": "Grondslag",
    "cancelled": "vervallen",
    "Case": "Casus",
    "Case director": "Casusregisseur",
    "case director": "casusregisseur",
    "Cases discussed": "Besproken casussen",
    "Category": "Categorie",
    "Chair": "Voorzitter",
    "Choose one recipient: a party or the table.": "Kies één ontvanger: een partij of de tafel.",
    "Closed on": "Afgesloten op",
    "Closing decision": "Besluit tot afsluiting",
    "Closing report": "Afsluitrapportage",
    "CONFIDENTIAL": "VERTROUWELIJK",
    "Criteria for scaling down": "Criteria voor afschaling",
    "Current situation (information the recipient may see)":
        "Toestandsbeeld (informatie die de ontvanger mag zien)",
    "Date": "Datum",
    "Deadline": "Deadline",
    "Decision": "Besluit",
    "Decisions": "Besluiten",
    "Decisions about closing": "Besluiten over afsluiting",
    "Decisions about scaling down": "Besluiten over afschaling",
    "Decisions in the period": "Besluiten in de periode",
    "Delegate": "Afgevaardigde",
    ("Do not pass this document on without the prior written consent of the parties that "
     "provided the information."):
        ("Geef dit document niet door zonder voorafgaande schriftelijke toestemming van de "
         "partijen die de informatie hebben verstrekt."),
    "Document": "Document",
    "Document {id}": "Document {id}",
    "done": "afgerond",
    "For: {recipient}": "Voor: {recipient}",
    "General progress": "Algemene voortgang",
    "Goal": "Doel",
    "goal": "doel",
    "Goal of the case meeting": "Doel van het casusoverleg",
    "Goal {n}: {text} ({status})": "Doel {n}: {text} ({status})",
    "Goals": "Doelen",
    "Goals reached": "Doelen bereikt",
    "Goals reached: {reached} of {total}.": "Doelen bereikt: {reached} van {total}.",
    "Information": "Gegeven",
    "Information added in the period": "Informatie toegevoegd in de periode",
    "Informed": "Geïnformeerd",
    "informed": "geïnformeerd",
    "Informed on": "Geïnformeerd op",
    "Informing persons concerned and the reporter": "Informeren van betrokkenen en de melder",
    "Invited": "Uitgenodigd",
    "Latest progress": "Laatste voortgang",
    "Left the room": "Verliet de ruimte",
    "Lesson": "Leerpunt",
    "Lessons learned": "Leerpunten",
    "Meeting": "Overleg",
    "Minute taker": "Notulist",
    "Minutes": "Notulen",
    "Minutes are made for a meeting, not for a case.":
        "Notulen worden gemaakt van een overleg, niet van een casus.",
    "Monitored by": "Monitoring door",
    "Monitoring": "Monitoring",
    "Name": "Naam",
    "Next discussion": "Volgende bespreking",
    "Next review": "Volgende herbeoordeling",
    "No case with this reference is available to you.":
        "Er is geen casus met dit kenmerk voor u beschikbaar.",
    "No such meeting.": "Dit overleg bestaat niet.",
    "Nobody is recorded as present at this meeting.":
        "Bij dit overleg is niemand als aanwezig vastgelegd.",
    "not informed": "niet geïnformeerd",
    "Not invited for this case and left the room: {parties}.":
        "Niet uitgenodigd voor deze casus en verliet de ruimte: {parties}.",
    "Not invited for this case: {parties} — must leave the room":
        "Voor deze casus niet uitgenodigd: {parties} — moet de ruimte verlaten",
    "not reached": "niet bereikt",
    "not yet recorded": "nog niet vastgelegd",
    "open": "open",
    "Open actions": "Openstaande acties",
    "open actions: {n}": "openstaande acties: {n}",
    "Opened on": "Geopend op",
    "overdue": "verlopen",
    "Overdue actions": "Verlopen acties",
    "page {page} of {pages}": "pagina {page} van {pages}",
    "Part in this case": "Rol in deze casus",
    "Parties involved": "Betrokken partijen",
    "Party": "Partij",
    "Period": "Periode",
    "Person": "Betrokkene",
    "Persons concerned": "Betrokkenen",
    "Phase": "Fase",
    "Place": "Plaats",
    "Prepared by": "Opgesteld door",
    "Preparing the report…": "Rapport voorbereiden…",
    "present": "aanwezig",
    "Problem and current situation": "Probleem en toestandsbeeld",
    "Process director": "Procesregisseur",
    "Process metadata only.": "Alleen procesgegevens.",
    "Progress": "Voortgang",
    "Progress notes in the period": "Voortgangsnotities in de periode",
    "Progress per goal and action": "Voortgang per doel en actie",
    "Progress report": "Voortgangsrapportage",
    "reached": "bereikt",
    "Reason": "Reden",
    "Recipient": "Ontvanger",
    "Recording the report…": "Rapport vastleggen…",
    "Registered by": "Aangemeld door",
    "registering party": "aanmeldende partij",
    "Remaining actions and who takes them": "Resterende acties en wie ze oppakt",
    "Rendering the report…": "Rapport opmaken…",
    "Responsible": "Verantwoordelijk",
    "Results": "Resultaten",
    "Source": "Bron",
    "Status": "Status",
    "Summary": "Samenvatting",
    "Supported by": "Ondersteund door",
    "the case director {director}, who watches the agreements of this plan":
        "de casusregisseur {director}, die toeziet op de afspraken van dit plan",
    ("The case is scaled down when the goals of this plan are reached, or when the case "
     "meeting decides that the joint approach is no longer needed; only the personal data "
     "needed for that assessment are used."):
        ("De casus wordt afgeschaald wanneer de doelen van dit plan zijn bereikt, of wanneer "
         "het casusoverleg besluit dat de gezamenlijke aanpak niet langer nodig is; daarbij "
         "worden alleen de persoonsgegevens gebruikt die voor die beoordeling nodig zijn."),
    "The period must not end before it starts.": "De periode mag niet eindigen voordat die begint.",
    "the process director {name}": "de procesregisseur {name}",
    "The recipient is not involved in this case.": "De ontvanger is niet betrokken bij deze casus.",
    "The recipient was not present at this meeting.":
        "De ontvanger was niet aanwezig bij dit overleg.",
    "The table ({n} parties)": "De tafel ({n} partijen)",
    "The table: {parties}": "De tafel: {parties}",
    "Themes": "Thema's",
    "This case has not been closed yet.": "Deze casus is nog niet afgesloten.",
    "This case is not on the agenda of this meeting.":
        "Deze casus staat niet op de agenda van dit overleg.",
    ("This document contains only what the recipient may see. A grey field with a lock "
     "marks information that exists but is masked for the recipient, with the reason; "
     "information the recipient may not know of is left out."):
        ("Dit document bevat alleen wat de ontvanger mag zien. Een grijs veld met een slotje "
         "markeert informatie die bestaat maar voor de ontvanger is afgeschermd, met de reden; "
         "informatie waarvan de ontvanger het bestaan niet mag kennen, is weggelaten."),
    "This party is not part of the covenant.": "Deze partij maakt geen deel uit van het convenant.",
    "This report is made for a case.": "Dit rapport wordt gemaakt voor een casus.",
    ("This version for the whole table therefore contains no content of this case (ZVH "
     "13.2)."):
        "Deze versie voor de hele tafel bevat daarom geen inhoud van deze casus (ZVH 13.2).",
    "Unknown report kind.": "Onbekende rapportsoort.",
    "Unknown report language.": "Onbekende rapporttaal.",
    ("Whether and when each person concerned was informed is recorded in the file, or why "
     "not yet and when this is reviewed; the process director {name} sees to it."):
        ("Of en wanneer elke betrokkene is geïnformeerd, wordt in het dossier vastgelegd, of "
         "waarom nog niet en wanneer dat opnieuw wordt beoordeeld; de procesregisseur {name} "
         "ziet daarop toe."),
    "Why: {reason}": "Waarom: {reason}",
}
