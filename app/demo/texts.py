"""Word lists and sentence templates for the demo generator (the per-covenant settings
are in :mod:`app.demo.covenants`).

Everything here is synthetic: the sentences are templates filled from small word lists, the
names come from Faker or from the fixed list below, and no template describes a real person.
Templates use ``str.format`` fields; :mod:`app.demo` fills only the fields a
template names (see ``Generator._fillers``).
"""

# ruff: noqa: RUF001 - the dotless i of Turkish names is intended
from __future__ import annotations

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
