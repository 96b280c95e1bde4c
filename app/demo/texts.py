"""Word lists, sentence templates and per-covenant settings for the demo generator.

Everything here is synthetic: the sentences are templates filled from small word lists, the
names come from Faker or from the fixed list below, and no template describes a real person.
Templates use ``str.format`` fields; :mod:`app.demo` fills only the fields a
template names (see ``Generator._fillers``).
"""

# ruff: noqa: RUF001 - the dotless i of Turkish names is intended
from __future__ import annotations

from dataclasses import dataclass, field

# --------------------------------------------------------------------------- names
# Names with diacritics and non-Dutch spellings that the UI, the PDF fonts and the search
# must handle.  Mixed with Faker's nl_NL names for the persons concerned.
DIACRITIC_FIRST_NAMES = (
    "Zoë", "Emre", "Thi Lan", "Katarzyna", "Søren", "Ayşe", "Piotr", "Dragan", "Jürgen",
    "Elif", "Noël", "Chloë", "Anaïs", "René", "Björn", "Mirosław", "Gülşen", "Raphaël",
    "Thiện", "Inês", "José", "Çağla", "Łucja", "Hüseyin", "Ångela", "Désirée",
)
DIACRITIC_LAST_NAMES = (
    "Çelik", "Nguyễn", "Wójcik", "Ørsted", "Yılmaz", "Kowalczyk", "Đorđević", "Müller",
    "Şahin", "de Bruijn", "Aydın", "Trần", "Gonçalves", "Łukaszewski", "Fernández",
    "van 't Hof", "IJzerman", "Öztürk", "Dvořák", "Sørensen", "Doğan", "Gündoğdu",
)
FIXED_FULL_NAMES = ("Zoë de Bruijn", "Ayşe Yılmaz", "Dragan Đorđević", "Thi Lan Nguyễn")

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")

# --------------------------------------------------------------------------- fill-in words
WORDS: dict[str, tuple[str, ...]] = {
    "delict": ("winkeldiefstal", "bedreiging", "eenvoudige mishandeling", "vernieling",
               "openlijke geweldpleging", "bezit van harddrugs", ("overtreding van een "
               "contactverbod"), "inbraak in een woning", "heling", "belaging",
               "rijden onder invloed", "straatroof"),
    "gedrag": ("agressief gedrag op straat", "intimiderend gedrag richting buurtbewoners",
               "verward gedrag in de openbare ruimte", "drugshandel vanuit de woning",
               "rondhangen met een groep jongeren", "herhaald alcoholgebruik op straat"),
    "incident": ("ruzie in de woning", "burenruzie met duwen en trekken",
                 "melding van een verward persoon", "geluidsoverlast in de nacht",
                 "vernieling van een portiekdeur", "bedreiging van een hulpverlener"),
    "overlast": ("geluidsoverlast", "stankoverlast", "vervuiling van de galerij",
                 "intimidatie van buren", "overlast door bezoekers", "drugsoverlast",
                 "overlast door huisdieren", "hennepgeur in het portiek"),
    "middel": ("alcohol", "cannabis", "cocaïne", "GHB", "lachgas", "opiaten"),
    "stoornis": ("een psychotische stoornis", "een ernstige depressie",
                 "een licht verstandelijke beperking", "een persoonlijkheidsstoornis",
                 "ADHD en verslavingsproblematiek", "een posttraumatische stressstoornis"),
    "voorwaarde": ("meldplicht bij de reclassering", "contactverbod met het slachtoffer",
                   "ambulante behandeling", "locatieverbod voor de wijk",
                   "opname in een klinische setting"),
    "nakoming": ("goed", "wisselend", "slecht", "sinds kort weer"),
    "instelling": ("de Pauluskerk", "het Leger des Heils", "een crisisopvang",
                   "een begeleid-wonenlocatie", "de nachtopvang"),
    "schuldeiser": ("de energieleverancier", "de zorgverzekeraar", "het CJIB",
                    "de woningcorporatie", "een incassobureau"),
    "relatie": ("de moeder", "een zus", "een oom", "de ex-partner", "een vriend",
                "de oudste zoon"),
    "gebied": ("het centrum", "het winkelcentrum", "de wijk rond het station",
               "het Afrikaanderplein", "de haven"),
    "stroming": ("extremistische", "anti-institutionele", "gewelddadig-activistische"),
    "herkomst": ("Turkse", "Marokkaanse", "Surinaamse", "Poolse", "Eritrese",
                 "Syrische", "Kaapverdiaanse", "Antilliaanse"),
    "taal": ("Turks", "Arabisch", "Pools", "Tigrinya", "Portugees", "Papiaments"),
    "geloof": ("christelijke", "islamitische", "evangelische", "hindoeïstische",
               "boeddhistische"),
    "signaal": ("veel wisselende bewoners", "afgeplakte ramen en een hoog stroomverbruik",
                "contante betalingen voor grote bedragen", ("een bedrijf zonder zichtbare "
                "activiteit"), "drukte van kort bezoek in de avonduren",
                "dumping van drugsafval", "een nagelstudio zonder klanten"),
    "aandrager": ("de wijkagent", "een handhaver van de gemeente", "de woningcorporatie",
                  "een medewerker Burgerzaken", "de Belastingdienst"),
    "branche": ("horeca", "autohandel", "nagelstudio", "shisha-lounge", "vastgoedbeheer",
                "uitzendbureau", "kapsalon"),
    "gebruiksdoel": ("wonen", "bedrijfsfunctie", "logies", "opslag"),
    "overtreding": ("bewoning van een bedrijfspand", "illegale kamerverhuur",
                    "exploitatie zonder vergunning", "brandonveilige situatie",
                    "strijdig gebruik met het bestemmingsplan"),
    "trend": ("is afgenomen", "is gelijk gebleven", ("is na een rustige periode weer "
              "toegenomen"), "is grotendeels gestopt"),
    "doel": ("de overlast stopt binnen drie maanden", "betrokkene accepteert hulpverlening",
             "de woonsituatie is stabiel", "er zijn geen nieuwe incidenten"),
    "geboorteplaats": ("Rotterdam", "Schiedam", "Istanbul", "Paramaribo", "Gdańsk",
                       "Den Haag", "Nador", "Willemstad", "Venlo", "Dordrecht"),
}

# --------------------------------------------------------------------------- item templates
# Per data category id; fields: see ``Generator._fillers`` in generator.py.
TEMPLATES: dict[str, tuple[str, ...]] = {
    # ZVH and shared categories
    "identity": (
        "Geboren te {geboorteplaats}; ingeschreven in de BRP in {plaats} sinds {jaar}.",
        "Personalia geverifieerd in de BRP op {datum}; er is geen briefadres.",
        "Betrokkene heeft een BSN; identiteitsbewijs gecontroleerd op {datum}.",
    ),
    "address": (
        "Betrokkene verblijft afwisselend bij {relatie} in {plaats}.",
        "Sinds {maand} ingeschreven op een briefadres; feitelijk verblijf onbekend.",
    ),
    "contact": (
        "Bereikbaar op het mobiele nummer; de voicemail wordt niet afgeluisterd.",
        "Contact verloopt via {relatie}; betrokkene heeft geen vast telefoonnummer.",
    ),
    "housing": (
        "Huurachterstand van {bedrag}; de verhuurder heeft op {datum} ontruiming gevorderd.",
        "Betrokkene verblijft sinds {maand} in de opvang van {instelling}.",
        "De woning is ernstig vervuild; huisbezoek afgelegd op {datum}.",
        "Dreigende huisuitzetting per {datum2}; het wijkteam bemiddelt.",
    ),
    "financial": (
        ("Problematische schulden van circa {bedrag}; aangemeld bij schuldhulpverlening op "
        "{datum}."),
        "Inkomen uit bijstand; beslag op de uitkering door {schuldeiser}.",
        "Budgetbeheer gestart per {datum}; vaste lasten worden doorbetaald.",
    ),
    "relations": (
        "Betrokkene heeft {n} minderjarige kinderen; de omgangsregeling ligt stil.",
        "De relatie met de partner is sinds {maand} verbroken; er geldt een contactverbod.",
        "Steunsysteem beperkt: alleen contact met {relatie}.",
        "Zorgen over de veiligheid van de kinderen in het gezin; melding gedaan op {datum}.",
    ),
    "enforcement": (
        ("De burgemeester heeft op {datum} een last onder bestuursdwang opgelegd wegens "
        "{overlast}."),
        "Tijdelijk huisverbod voor {dagen} dagen opgelegd op {datum}.",
        "Gebiedsverbod voor {gebied} voor de duur van {weken} weken.",
        "Voornemen tot sluiting van de woning (art. 13b Opiumwet) bekendgemaakt op {datum}.",
    ),
    "police": (
        "BVH-registratie {datum}: betrokkene aangehouden als verdachte van {delict}.",
        ("In de afgelopen twaalf maanden {n} incidenten geregistreerd, waarvan {m} als "
        "verdachte."),
        "De wijkagent meldt op {datum} {gedrag} in de omgeving van de {straat}.",
        "Melding {datum}: {incident}; betrokkene ter plaatse aangetroffen.",
        "ZSM-afdoening na {delict} op {datum}; proces-verbaal ingezonden aan het OM.",
    ),
    "justice": (
        "Dagvaarding voor de politierechter ter zake van {delict}; zitting op {datum2}.",
        "Het OM heeft de zaak op {datum} voorwaardelijk geseponeerd met een meldplicht.",
        "Strafbeschikking van {bedrag} opgelegd wegens {delict}.",
        "Lopende verdenking van {delict}; de zaak is aangehouden tot {datum2}.",
    ),
    "execution": (
        ("Voorwaardelijke straf met als bijzondere voorwaarde een {voorwaarde}; proeftijd "
        "{jaren} jaar."),
        "Taakstraf van {uren} uur opgelegd; de uitvoering loopt.",
        "Detentie tot {datum2}; terugkeer naar {plaats} is voorzien.",
        "Reclasseringstoezicht loopt tot {datum2}; de meldplicht wordt {nakoming} nagekomen.",
    ),
    "sexual_life": (
        "Signalen van seksuele uitbuiting; melding ontvangen op {datum}.",
        "Betrokkene heeft in het verleden zedenhulpverlening ontvangen.",
    ),
    "health": (
        "Betrokkene is bekend met {stoornis}; behandeling bij de FACT-poli sinds {maand}.",
        "Zorgmijdend; afspraken met de behandelaar worden sinds {maand} niet nagekomen.",
        "Verslavingsproblematiek ({middel}); betrokkene is bereid tot een intake.",
    ),
    "medical": (
        "Gebruikt voorgeschreven medicatie; therapietrouw wisselend volgens de behandelaar.",
        "Opname op grond van de Wvggz van {datum} tot {datum2}.",
        "Pro Justitia-rapportage van {datum}: verminderd toerekeningsvatbaar geadviseerd.",
    ),
    "political": (
        "Betrokkene uit zich online in {stroming} zin; signaal besproken op {datum}.",
        "Zorgen over contacten met een {stroming} groepering; gesprek gevoerd op {datum}.",
    ),
    "ethnicity": (
        "De familie heeft een {herkomst} achtergrond; tolk {taal} gewenst bij gesprekken.",
        ("Cultuursensitieve aanpak gewenst; sleutelfiguur uit de {herkomst} gemeenschap "
        "betrokken."),
    ),
    "religion": (
        ("Betrokkene is actief in een {geloof} geloofsgemeenschap; de voorganger is een "
        "steunfiguur."),
        "Religieuze overtuiging speelt een rol in de gezinsdynamiek ({geloof}).",
    ),
    "dsr_requests": (
        "Inzageverzoek ontvangen op {datum}; beantwoord binnen vier weken.",
        "Betrokkene heeft op {datum} verzet aangetekend tegen de verwerking.",
        "Verzoek om rectificatie van de adresgegevens ontvangen op {datum}.",
    ),
    "staff_name": ("Contactpersoon: {medewerker}.",),
    "staff_contact": ("Zakelijk bereikbaar via {telefoon}.",),
    "staff_organisation": ("Casemanager bij {partijnaam}.",
                           "Contactpersoon namens {partijnaam}.",
                           "Trajectbegeleider namens {partijnaam}."),
    "staff_involvement": ("Betrokken bij de casus sinds {datum}.",
                          "Betrokkenheid beëindigd per {datum2} wegens overdracht."),
    "staff_role": ("Casusregisseur namens {partijnaam}.",
                   "Vaste deelnemer aan het casusoverleg namens {partijnaam}."),
    # WO
    "naw": ("Woont sinds {jaar} op het huidige adres in {plaats}.",),
    "birth_date": ("Geboortedatum geverifieerd in de BRP op {datum}.",),
    "reporter_contact": ("Aandrager zakelijk bereikbaar via {telefoon}.",),
    "melder_contact": ("Melder is overdag bereikbaar; voorkeur voor contact per e-mail.",),
    "melder_consent": (
        "Melder heeft op {datum} schriftelijk toestemming gegeven om NAW-gegevens te delen.",
        "Melder wil anoniem blijven; geen toestemming om contactgegevens te delen.",
    ),
    "melding_report": (
        ("Melding {datum}: {overlast} vanuit de woning aan de {straat}; de melder ervaart dit "
        "al {maanden} maanden."),
        "Herhaalde melding van {overlast}; de melder houdt een logboek bij.",
    ),
    "nuisance": (
        "Geluidsmeting op {datum} bevestigt {overlast} in de avond- en nachturen.",
        "Buurtbewoners melden {overlast}; {n} meldingen in de afgelopen drie maanden.",
    ),
    "causation": (
        ("De overlast valt samen met de aanwezigheid van betrokkene; bevestigd door {n} "
        "buurtbewoners."),
        "Huisbezoek {datum}: betrokkene erkent de {overlast}.",
    ),
    "responsibility": (
        "Overlastgever is minderjarig; de ouder is huurder en verantwoordelijk.",
        "Bezoekers van de huurder veroorzaken de overlast; de huurder is aangesproken.",
    ),
    "tenant_relation": (
        "Overlastgever is medebewoner en zoon van de huurder.",
        "Overlastgever staat niet ingeschreven maar verblijft feitelijk in de woning.",
    ),
    "interventions": (
        "Waarschuwingsbrief verstuurd op {datum}.",
        "Buurtbemiddeling gestart op {datum}; betrokkene weigert deelname.",
        "Gedragsaanwijzing (art. 151d Gemeentewet) opgelegd op {datum}.",
    ),
    "plan": ("Plan van aanpak: {doel}; monitoring elke {weken} weken.",),
    "progress": ("Voortgang {datum}: de overlast {trend}; de melder bevestigt dit.",),
    "party_contact": (("Contactpersoon namens {partijnaam}, bereikbaar via het algemene "
                      "nummer."),),
    # OND
    "signal": (
        "Signaal {datum}: {signaal} bij het pand aan de {straat}.",
        "Melding van {aandrager}: {signaal}.",
    ),
    "address_history": ("BRP: sinds {jaar} {n} keer verhuisd binnen {plaats} en omgeving.",),
    "residents_history": (("Op het adres stonden de afgelopen {jaren} jaar {n} personen "
                          "ingeschreven, vaak kortdurend."),),
    "kadaster": (("Kadaster: pand in eigendom sinds {jaar}, aangekocht voor {bedrag} zonder "
                 "hypotheek."),),
    "bag": ("BAG: gebruiksdoel {gebruiksdoel}, oppervlakte {m2} m².",),
    "kvk": (("Handelsregister: onderneming ({branche}) ingeschreven op {datum}; {n} "
            "bestuurderswisselingen in twee jaar."),),
    "permits": (("Exploitatievergunning ({branche}) aangevraagd op {datum}; Bibob-"
                "vragenformulier opgevraagd."),),
    "subsidies": (("Subsidie van {bedrag} verstrekt aan een stichting waarvan betrokkene "
                  "bestuurder is."),),
    "municipal_tax": ("WOZ-waarde {bedrag}; aanslag gemeentelijke belastingen onbetaald.",),
    "complaints": ("{n} meldingen over {signaal} in de afgelopen zes maanden.",),
    "real_estate": (("Pand ligt in een herontwikkelingsgebied; koper betrokken bij {n} eerdere "
                    "vastgoedtransacties."),),
    "arrears": ("Openstaande vordering van {bedrag} bij de gemeente sinds {maand}.",),
    "reporter_organisation": ("Aandrager: {aandrager}.",),
    "mayor_police_decision": (("De burgemeester heeft op {datum} een besluit genomen mede op "
                              "basis van politie-informatie."),),
}
# Templates that fit one source better than the category's own (party id or kind first).
SOURCE_TEMPLATES: dict[tuple[str, str], tuple[str, ...]] = {
    ("halt", "justice"): ("Halt-afdoening na {delict} op {datum}; de leerstraf loopt.",),
    ("other", "justice"): ("Afdoening na {delict} op {datum} bekend bij de partner.",),
    ("afdeling-handhaving", "enforcement"): (
        "Controle {datum}: {overtreding}; vooraankondiging last onder dwangsom verzonden.",
        "Bestuurlijke waarschuwing verzonden op {datum} wegens {overtreding}.",
    ),
    ("politie", "signal"): (("Politie meldt op {datum}: {signaal} bij het pand aan de "
                            "{straat}."),),
    ("om", "execution"): (
        "Openstaande vrijheidsstraf van {dagen} dagen; executie uitgesteld tot {datum2}.",
        ("Voorwaardelijke straf met als bijzondere voorwaarde een {voorwaarde}; proeftijd "
        "{jaren} jaar."),
        "Vordering tenuitvoerlegging van de voorwaardelijke straf ingediend op {datum}.",
    ),
}
GENERIC_TEMPLATES = ("Informatie van {partijnaam}, vastgelegd op {datum}.",)

# --------------------------------------------------------------------------- joint record
# Per covenant: (case goals, plan goals, actions), looked up by profile id.
JOINT: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "zvh-rotterdam-rijnmond": (
        ("Gezamenlijk beeld vormen en een integraal plan van aanpak opstellen.",
         "Escalatie voorkomen en zorg en straf op elkaar afstemmen.",
         "Veiligheid van de kinderen in het gezin waarborgen.",
         "Terugval na detentie voorkomen met een sluitende nazorg."),
        ("Betrokkene heeft een stabiele woonsituatie.",
         "Er vinden geen nieuwe incidenten plaats.", "Betrokkene accepteert passende zorg.",
         "De schulden zijn in beeld en er is een regeling.", "De kinderen groeien veilig op.",
         "Betrokkene houdt zich aan de bijzondere voorwaarden."),
        ("Huisbezoek afleggen en situatie in kaart brengen.", "Intake bij de GGZ plannen.",
         "Aanmelden bij de schuldhulpverlening.",
         "Gesprek met betrokkene over de bijzondere voorwaarden.",
         "Veiligheidsplan opstellen met het gezin.", "Zorgmachtiging laten onderzoeken.",
         "Huisvesting na detentie regelen.", "Bestuurlijke maatregel voorbereiden."),
    ),
    "woonoverlast": (
        ("De overlast beëindigen en de woonsituatie stabiliseren.",
         "Vaststellen of sprake is van complexe woonoverlast.",
         "Escalatie tussen buren voorkomen."),
        ("De overlast voor de buurt stopt.", "De melder ervaart weer woongenot.",
         "Overlastgever accepteert begeleiding.", "De woning is schoon en veilig."),
        ("Huisbezoek door de woningcorporatie.", "Terugkoppeling aan de melder geven.",
         "Gedragsaanwijzing voorbereiden.", "Buurtbemiddeling aanbieden.",
         "Waarschuwingsbrief van de verhuurder versturen.",
         "Politie neemt het adres op in de surveillance."),
    ),
    "ondermijning": (
        ("Ondermijnende activiteiten verstoren met bestuurlijke middelen.",
         "Beeld vormen van de signalen rond het pand en de betrokken onderneming."),
        ("De illegale activiteiten in het pand zijn gestopt.",
         "Misbruik van de vergunning is beëindigd.",
         "Het vastgoed wordt niet meer voor criminele doeleinden gebruikt."),
        ("Bibob-toets uitvoeren.", "Integrale controle met handhaving uitvoeren.",
         "Vergunning heroverwegen.", "Belastingaanslag en WOZ-waarde controleren.",
         "Signaal delen met het RIEC na toestemming van de coördinator.",
         "Sluiting van het pand voorbereiden."),
    ),
}
GENERIC_JOINT = (("Gezamenlijk beeld vormen en een plan van aanpak opstellen.",),
                 ("De problemen zijn opgelost.",), ("Situatie in kaart brengen.",))
DECISIONS = ("Casus besproken; het plan van aanpak is vastgesteld.",
             "Casusregie belegd; volgende bespreking over zes weken.",
             "Besloten de aanpak te intensiveren.",
             "Besloten tot afschaling zodra de doelen zijn bereikt.",
             "Partijen delen de informatie alleen binnen dit overleg.")
PROGRESS = ("Besproken in het overleg van {datum}: actie loopt volgens plan.",
            ("Besproken in het overleg van {datum}: vertraging door afwezigheid van "
            "betrokkene."), "Besproken in het overleg van {datum}: actie afgerond.")
NOT_INFORMED_REASONS = ("Informeren zou het lopende politieonderzoek schaden.",
                        "Informeren brengt de veiligheid van de melder in gevaar.",
                        "Betrokkene is onvindbaar; nieuwe poging bij volgend contact.")


# --------------------------------------------------------------------------- per covenant
@dataclass(frozen=True)
class Theme:
    """A theme of cases and the parties typically at the table for it.

    Selectors: a party id, ``kind:<kind>`` (one party of that kind) or ``municipality``
    (the case's municipality), each with the chance it takes part.
    """

    name: str
    parties: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class CovenantText:
    """The demo settings of one covenant profile (looked up by profile id)."""

    prefix: str
    pr_parties: tuple[str, ...]
    table_phase: str
    phase_weights: dict[str, int]
    themes: tuple[Theme, ...]
    # (party id or "", city, first postcode digits, weight); "" = no municipal party
    municipalities: tuple[tuple[str, str, int, int], ...]
    # subject categories: (category, role, chance); the first is the main person
    persons: tuple[tuple[str, str, float], ...]
    # (role, field) -> data category
    fields: dict[tuple[str, str], str]
    identity_sources: tuple[str, ...]
    party_categories: dict[str, tuple[str, ...]]
    close: dict[str, tuple[str, str]]
    places: tuple[str, ...]
    legal_basis: dict[str, str] = field(default_factory=dict)
    # parties that get a deelnemer user, and those that also get a casusregisseur user
    user_parties: tuple[str, ...] = ()
    director_parties: tuple[str, ...] = ()


_ZVH_M = "municipality"
ZVH = CovenantText(
    prefix="ZVH",
    pr_parties=("gemeente-rotterdam-veiligheid", "gemeente-rotterdam"),
    table_phase="casusoverleg",
    phase_weights={"aanmelding": 10, "triage": 14, "niet_doorgeleid": 10, "casusoverleg": 40,
                   "afschaling": 26},
    themes=(
        Theme("Huiselijk geweld", (("kind:politie", 1.0), ("kind:veilig_thuis", 0.9),
                                   ("kind:om", 0.6), ("kind:raad_kinderbescherming", 0.4),
                                   ("kind:gecertificeerde_instelling", 0.4),
                                   ("kind:slachtofferhulp", 0.5), (_ZVH_M, 1.0))),
        Theme("Nazorg (ex-)gedetineerden", (("kind:dji", 0.8), ("kind:reclassering", 1.0),
                                            ("kind:politie", 0.9), ("kind:om", 0.8),
                                            ("kind:zorg_welzijn", 0.5), (_ZVH_M, 1.0))),
        Theme("Personen met verward gedrag", (("kind:ggz", 1.0), ("kind:politie", 0.9),
                                              ("kind:zorg_welzijn", 0.6), (_ZVH_M, 1.0),
                                              ("nifp", 0.2))),
        Theme("Jeugd en criminaliteit", (("kind:politie", 1.0), ("kind:om", 0.8),
                                         ("kind:raad_kinderbescherming", 0.7),
                                         ("kind:gecertificeerde_instelling", 0.5),
                                         ("halt", 0.5), (_ZVH_M, 1.0))),
        Theme("Radicalisering", (("kind:politie", 1.0), ("kind:om", 0.6),
                                 ("gemeente-rotterdam-veiligheid", 0.8), ("kind:ggz", 0.5),
                                 ("kind:reclassering", 0.4), (_ZVH_M, 1.0))),
        Theme("Mensenhandel en uitbuiting", (("kind:politie", 1.0), ("kind:om", 0.7),
                                             ("fier", 0.8), ("kind:slachtofferhulp", 0.7),
                                             (_ZVH_M, 1.0))),
    ),
    municipalities=(
        ("gemeente-rotterdam", "Rotterdam", 30, 50), ("gemeente-schiedam", "Schiedam", 31, 10),
        ("gemeente-vlaardingen", "Vlaardingen", 31, 8),
        ("gemeente-capelle-aan-den-ijssel", "Capelle aan den IJssel", 29, 6),
        ("gemeente-nissewaard", "Spijkenisse", 32, 6),
        ("gemeente-maassluis", "Maassluis", 31, 4),
        ("gemeente-ridderkerk", "Ridderkerk", 29, 4),
        ("gemeente-barendrecht", "Barendrecht", 29, 3),
        ("gemeente-albrandswaard", "Rhoon", 31, 2),
        ("gemeente-lansingerland", "Bergschenhoek", 26, 3),
        ("gemeente-krimpen-aan-den-ijssel", "Krimpen aan den IJssel", 29, 2),
        ("gemeente-voorne-aan-zee", "Hellevoetsluis", 32, 1),
        ("gemeente-goeree-overflakkee", "Middelharnis", 32, 1),
    ),
    persons=(("cat-i", "person", 1.0), ("cat-ii", "person", 0.6), ("cat-iii", "staff", 0.15),
             ("cat-iv", "staff", 0.05)),
    fields={("person", "name"): "identity", ("person", "birth_date"): "identity",
            ("person", "address"): "address", ("person", "phone"): "contact",
            ("person", "email"): "contact", ("staff", "name"): "staff_name",
            ("staff", "phone"): "staff_contact", ("staff", "email"): "staff_contact"},
    identity_sources=(_ZVH_M, "kind:politie", "kind:reclassering"),
    party_categories={
        "politie": ("police", "police", "police", "relations"),
        "om": ("justice", "justice", "execution"),
        "reclassering": ("execution", "housing", "financial", "relations", "health"),
        "ggz": ("health", "medical", "relations", "housing"),
        "veilig_thuis": ("relations", "relations", "sexual_life", "health"),
        "raad_kinderbescherming": ("relations", "housing"),
        "gecertificeerde_instelling": ("relations", "housing", "ethnicity"),
        "slachtofferhulp": ("relations", "health"),
        "zorg_welzijn": ("housing", "financial", "health", "religion", "ethnicity",
                         "sexual_life"),
        "dji": ("execution", "medical"),
        "gemeente": ("housing", "financial", "enforcement", "contact", "identity"),
        "gemeente-rotterdam-veiligheid": ("enforcement", "political", "dsr_requests"),
        "other": ("justice", "relations"),
    },
    close={"niet_doorgeleid": (("Casus voldoet niet aan de criteria van het Landelijk Kader; "
                               "terugverwezen naar het wijkteam."), "PP 11.8"),
           "afschaling": (("Doelen van het plan van aanpak bereikt; regie overgedragen aan het "
                          "wijkteam."), "PP 9.4")},
    places=("Zorg- en Veiligheidshuis Rotterdam, kamer 3", "ZVH Rotterdam-Zuid, zaal 1.12",
            "ZVH Schiedam, kamer 2"),
    legal_basis={"wpg": "art. 20 Wpg; PP 6.4d", "wjsg": "art. 39f Wjsg; PP 6.4c",
                 "beroepsgeheim": "toestemming betrokkene; PP 7.2",
                 "avg": "art. 6 lid 1 sub e AVG; PP 6.2",
                 "slachtofferhulp": "uitdrukkelijke toestemming; PP 6.4l"},
    user_parties=("politie-rotterdam", "om-rotterdam", "gemeente-rotterdam", "gemeente-schiedam",
                  "reclassering-nederland", "ggz-antes", "veilig-thuis-rotterdam-rijnmond",
                  "slachtofferhulp", "raad-kinderbescherming-rotterdam",
                  "jeugdbescherming-rotterdam-rijnmond", "dji", "leger-des-heils", "fier",
                  "halt"),
    director_parties=("gemeente-rotterdam", "reclassering-nederland", "ggz-antes",
                      "veilig-thuis-rotterdam-rijnmond"),
)

WO = CovenantText(
    prefix="WO",
    pr_parties=("burgemeester-krimpen-aan-den-ijssel",),
    table_phase="gezamenlijk_overleg",
    phase_weights={"onderzoek": 10, "gezamenlijk_overleg": 10, "niet_complex": 8,
                   "plan_van_aanpak": 10, "uitvoering": 22, "voortgang": 14, "afsluiten": 26},
    themes=(
        Theme("Geluidsoverlast", (("kind:woningcorporatie", 0.8), ("kind:verhuurder", 0.3),
                                  ("kind:politie", 0.6), (_ZVH_M, 1.0))),
        Theme("Vervuiling en verwaarlozing", (("kind:woningcorporatie", 0.9),
                                              ("kind:politie", 0.3), (_ZVH_M, 1.0))),
        Theme("Intimidatie en bedreiging", (("kind:woningcorporatie", 0.7),
                                            ("kind:verhuurder", 0.4), ("kind:politie", 0.9),
                                            (_ZVH_M, 1.0))),
        Theme("Drugsoverlast", (("kind:politie", 1.0), ("kind:woningcorporatie", 0.6),
                                ("kind:verhuurder", 0.4), (_ZVH_M, 1.0))),
    ),
    municipalities=(("burgemeester-krimpen-aan-den-ijssel", "Krimpen aan den IJssel", 29, 1),),
    persons=(("overlastgever", "person", 1.0), ("melder", "melder", 0.85),
             ("klant_verhuurder", "person", 0.3), ("partij", "staff", 0.1)),
    fields={("person", "name"): "naw", ("person", "birth_date"): "birth_date",
            ("person", "address"): "naw", ("person", "phone"): "contact",
            ("person", "email"): "contact", ("melder", "name"): "melder_contact",
            ("melder", "address"): "melder_contact", ("melder", "phone"): "melder_contact",
            ("melder", "email"): "melder_contact", ("staff", "name"): "party_contact",
            ("staff", "phone"): "party_contact", ("staff", "email"): "party_contact"},
    identity_sources=("kind:woningcorporatie", "kind:verhuurder", _ZVH_M),
    party_categories={
        "politie": ("police", "police", "causation"),
        "burgemeester": ("melding_report", "melder_consent", "nuisance", "interventions",
                         "plan", "progress"),
        "woningcorporatie": ("melding_report", "nuisance", "causation", "responsibility",
                             "tenant_relation", "interventions"),
        "verhuurder": ("nuisance", "tenant_relation", "responsibility", "interventions"),
    },
    close={"niet_complex": (("Geen complexe woonoverlast; melder verwezen naar "
                            "buurtbemiddeling."), "WO 9.4"),
           "afsluiten": ("De overlast is gestopt; afsluitrapportage vastgesteld.", "WO 1.3")},
    places=("Gemeentehuis Krimpen aan den IJssel, kamer B2",),
    legal_basis={"wpg": "art. 20 Wpg; WO 3.3", "avg": "art. 6 lid 1 sub e AVG; WO 3.2",
                 "melder": "toestemming melder; WO 3.3d"},
    user_parties=("politie-rotterdam", "burgemeester-krimpen-aan-den-ijssel", "woningcorporatie",
                  "particuliere-verhuurder"),
    director_parties=("woningcorporatie", "burgemeester-krimpen-aan-den-ijssel"),
)

OND = CovenantText(
    prefix="OND",
    pr_parties=("afdeling-oov",),
    table_phase="overleg",
    phase_weights={"intake": 8, "zwaarte": 8, "bronnenonderzoek": 10, "voorbereiden_overleg": 8,
                   "overleg": 12, "regie": 22, "afsluiten": 22, "opschaling_riec": 10},
    themes=(
        Theme("Hennepteelt", (("afdeling-brp", 0.9), ("afdeling-handhaving", 0.9),
                              ("afdeling-belastingen-woz", 0.5), ("kind:politie", 0.8),
                              ("burgemeester-beesel", 0.5), ("afdeling-klachten-meldingen", 0.6))),
        Theme("Witwassen via vastgoed", (("afdeling-brp", 0.8),
                                         ("afdeling-ruimtelijke-ontwikkeling", 0.9),
                                         ("afdeling-belastingen-woz", 0.7),
                                         ("afdeling-financien", 0.5),
                                         ("afdeling-subsidies", 0.3), ("kind:politie", 0.4))),
        Theme("Malafide horeca", (("afdeling-vergunningen-apv", 0.8),
                                  ("afdeling-vergunningen-alcoholwet", 0.8),
                                  ("afdeling-handhaving", 0.8), ("afdeling-brp", 0.6),
                                  ("afdeling-aanbestedingen", 0.2), ("burgemeester-beesel", 0.4),
                                  ("kind:politie", 0.5))),
        Theme("Huisjesmelkerij en uitbuiting", (("afdeling-brp", 1.0),
                                                ("afdeling-vergunningen-wabo", 0.6),
                                                ("afdeling-handhaving", 0.8),
                                                ("afdeling-klachten-meldingen", 0.5),
                                                ("kind:politie", 0.5))),
    ),
    municipalities=(("", "Reuver", 59, 3), ("", "Beesel", 59, 2), ("", "Offenbeek", 59, 1)),
    persons=(("subject", "person", 1.0), ("relatie", "person", 0.4),
             ("aandrager", "reporter", 0.5)),
    fields={("person", "name"): "identity", ("person", "birth_date"): "identity",
            ("person", "address"): "address", ("person", "phone"): "contact",
            ("person", "email"): "contact", ("reporter", "phone"): "reporter_contact",
            ("reporter", "email"): "reporter_contact"},
    identity_sources=("afdeling-brp", "afdeling-oov"),
    party_categories={
        "afdeling-oov": ("signal", "reporter_organisation", "contact"),
        "afdeling-brp": ("address_history", "residents_history", "identity"),
        "afdeling-vergunningen-apv": ("permits", "kvk"),
        "afdeling-vergunningen-wabo": ("permits", "bag"),
        "afdeling-vergunningen-alcoholwet": ("permits", "kvk"),
        "afdeling-belastingen-woz": ("municipal_tax", "kadaster"),
        "afdeling-handhaving": ("enforcement", "enforcement", "complaints"),
        "afdeling-klachten-meldingen": ("complaints", "signal"),
        "afdeling-subsidies": ("subsidies",),
        "afdeling-financien": ("arrears",),
        "afdeling-aanbestedingen": ("kvk",),
        "afdeling-ruimtelijke-ontwikkeling": ("kadaster", "bag", "real_estate"),
        "burgemeester-beesel": ("mayor_police_decision",),
        "politie": ("signal", "police"),
        "riec-limburg": ("kvk", "signal"),
    },
    close={"afsluiten": ("Aanpak afgerond: vergunning ingetrokken en pand gesloten.",
                         "OND 11.2"),
           "opschaling_riec": (("Opgeschaald naar het RIEC Limburg voor een integrale "
                               "aanpak."), "OND 3.3")},
    places=("Gemeentehuis Beesel, kamer 1.04", "Gemeentehuis Reuver, raadzaal"),
    legal_basis={"wpg": "art. 20 Wpg; OND 7.1", "avg": "art. 6 lid 1 sub e AVG; OND 3.2"},
    user_parties=("afdeling-brp", "afdeling-handhaving", "afdeling-vergunningen-apv",
                  "afdeling-vergunningen-wabo", "afdeling-vergunningen-alcoholwet",
                  "afdeling-belastingen-woz", "afdeling-klachten-meldingen", "afdeling-subsidies",
                  "afdeling-financien", "afdeling-aanbestedingen",
                  "afdeling-ruimtelijke-ontwikkeling", "burgemeester-beesel", "politie",
                  "riec-limburg"),
    director_parties=("afdeling-handhaving", "afdeling-vergunningen-apv"),
)

COVENANTS: dict[str, CovenantText] = {
    "zvh-rotterdam-rijnmond": ZVH, "woonoverlast": WO, "ondermijning": OND,
}

# Short tags for usernames, by party id, then by party kind.
PARTY_TAGS: dict[str, str] = {
    "gemeente-rotterdam": "rdam", "gemeente-schiedam": "schiedam",
    "veilig-thuis-rotterdam-rijnmond": "vt", "raad-kinderbescherming-rotterdam": "rvdk",
    "jeugdbescherming-rotterdam-rijnmond": "jbrr", "reclassering-nederland": "reclass",
    "burgemeester-krimpen-aan-den-ijssel": "gemeente", "woningcorporatie": "woco",
    "particuliere-verhuurder": "verhuur", "afdeling-oov": "oov",
    "afdeling-vergunningen-apv": "apv", "afdeling-vergunningen-wabo": "wabo",
    "afdeling-vergunningen-alcoholwet": "alcohol", "afdeling-belastingen-woz": "woz",
    "afdeling-handhaving": "handhaving", "afdeling-klachten-meldingen": "meldingen",
    "afdeling-subsidies": "subsidies", "afdeling-brp": "brp", "afdeling-financien": "financien",
    "afdeling-aanbestedingen": "aanbest", "afdeling-ruimtelijke-ontwikkeling": "ro",
    "burgemeester-beesel": "burgemeester", "riec-limburg": "riec", "fier": "fier",
    "leger-des-heils": "ldh", "halt": "halt",
}
KIND_TAGS: dict[str, str] = {
    "politie": "politie", "om": "om", "reclassering": "reclass", "ggz": "ggz",
    "veilig_thuis": "vt", "slachtofferhulp": "sh", "raad_kinderbescherming": "rvdk",
    "gecertificeerde_instelling": "gi", "dji": "dji", "zorg_welzijn": "zorg",
    "woningcorporatie": "woco", "verhuurder": "verhuur", "gemeente": "gemeente",
    "burgemeester": "burgemeester", "ggd": "ggd", "other": "partner",
}
