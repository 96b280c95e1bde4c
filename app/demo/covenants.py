"""The demo settings per covenant profile: themes, parties at the table, municipalities,
which data categories each party provides, and how cases close (see
:class:`CovenantText`); :mod:`app.demo.texts` holds the words and templates."""



from __future__ import annotations

from dataclasses import dataclass, field


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
