"""Word lists of the French extractors: titles, honorifics, reporting verbs, number words, units, plurals."""

from __future__ import annotations

import re

__all__ = [
    "APOS",
    "CHANGE_DOWN",
    "CHANGE_UP",
    "COMPARATORS",
    "CUE_PARTICIPLES",
    "CUE_PRESENT",
    "CURRENCIES",
    "DURATIONS",
    "FEMININE_TITLES",
    "FR_INVARIANT",
    "FR_IRREGULAR_PLURALS",
    "HONORIFICS",
    "MEASURES",
    "NOT_NAMES",
    "NUMBER_WORDS",
    "SCALES",
    "TITLE_NOUNS",
]

APOS = "['’]"


def _words(text: str) -> list[str]:
    return text.split()


# Nouns that open a title bound to a name ("le ministre de l'Intérieur, X", "X, présidente de la FNSEA").
TITLE_NOUNS = frozenset(_words("""
ministre ministres président présidente vice-président vice-présidente premier première secrétaire
porte-parole préfet préfète maire député députée sénateur sénatrice directeur directrice
dirigeant dirigeante chef cheffe patron patronne pdg procureur procureure juge avocat avocate
ambassadeur ambassadrice commissaire gouverneur gouverneure général générale colonel commandant
responsable délégué déléguée conseiller conseillère chancelier chancelière roi reine prince princesse
pape cardinal archevêque évêque fondateur fondatrice élu élue adjoint adjointe leader entraîneur
entraîneuse capitaine sélectionneur économiste analyste chercheur chercheuse professeur professeure
expert experte représentant représentante syndicaliste militant militante rapporteur rapporteure
coordinateur coordinatrice administrateur administratrice gérant gérante candidat candidate
"""))
FEMININE_TITLES = frozenset(_words("""
présidente vice-présidente première préfète députée sénatrice directrice dirigeante cheffe patronne
procureure avocate ambassadrice gouverneure générale déléguée conseillère chancelière reine princesse
fondatrice élue adjointe entraîneuse chercheuse professeure experte représentante militante
rapporteure coordinatrice administratrice gérante candidate
"""))
# Honorifics before a name, and the gender they tell ("M. Delorme", "Mme Vasseur").
HONORIFICS: dict[str, str | None] = {"m.": "m", "mme": "f", "mlle": "f", "mmes": "f", "mm.": "m", "me": None,
                                     "dr": None, "pr": None, "mgr": "m"}
# Capitalised words the small French ner sometimes takes for a name: sentence openers and pronouns.
NOT_NAMES = frozenset(_words("""
selon d'après d’après nous vous il elle ils elles on je tu c'est c’est ce cet cette ces chaque tous toutes
le la les l' l’ un une des du de au aux mais et ou donc or ni car si lorsque quand alors puis ainsi
aucun aucune plusieurs certains certaines interrogé interrogée interrogés pourtant enfin parmi après avant
depuis pendant hier aujourd'hui aujourd’hui demain lundi mardi mercredi jeudi vendredi samedi dimanche
"""))

# Reporting verbs: past participles after "a"/"avait"/"ont" ("a déclaré", "a-t-il dit") and present forms
# ("déclare M. X", "affirme-t-elle").
CUE_PARTICIPLES = frozenset(_words("""
dit déclaré affirmé ajouté souligné indiqué expliqué estimé assuré annoncé précisé martelé lancé
répondu répété rappelé confié insisté jugé averti prévenu dénoncé regretté reconnu admis déploré
raconté poursuivi conclu noté observé relevé commenté écrit tweeté résumé plaidé promis
espéré fustigé salué confirmé démenti nié réagi demandé interrogé lâché tranché
"""))
CUE_PRESENT = frozenset(_words("""
dit déclare affirme ajoute souligne indique explique estime assure annonce précise martèle lance
répond répète rappelle confie insiste juge avertit prévient dénonce regrette reconnaît admet déplore
raconte poursuit conclut note observe relève commente écrit résume plaide promet espère fustige
salue confirme dément nie réagit demande lâche tranche
"""))

# Number words ("vingt", "quatre-vingt-dix", "trente et un"); "un"/"une" are left out (articles).
NUMBER_WORDS: dict[str, int] = {
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
    "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20,
    "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "cents": 100,
    "mille": 1000, "un": 1, "une": 1, "et": 0,
}
SCALES: dict[str, float] = {"million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9,
                            "millier": 1e3, "milliers": 1e3, "billion": 1e12, "billions": 1e12}
CURRENCIES: dict[str, str] = {"€": "EUR", "euro": "EUR", "euros": "EUR", "$": "USD", "dollar": "USD",
                              "dollars": "USD", "£": "GBP", "livre": "GBP", "livres": "GBP", "franc": "CHF",
                              "francs": "CHF", "yens": "JPY", "yuans": "CNY", "roubles": "RUB",
                              "francs cfa": "XOF", "dollars canadiens": "CAD", "dollars américains": "USD",
                              "chf": "CHF", "eur": "EUR", "usd": "USD"}
MEASURES: dict[str, str] = {"hectare": "ha", "hectares": "ha", "ha": "ha", "km": "km", "kilomètre": "km",
                            "kilomètres": "km", "mètre": "m", "mètres": "m", "m": "m", "tonne": "t",
                            "tonnes": "t", "kg": "kg", "kilos": "kg", "kilogrammes": "kg", "litre": "l",
                            "litres": "l", "degré": "°C", "degrés": "°C", "°c": "°C", "°": "°C", "mm": "mm",
                            "millimètres": "mm", "mégawatts": "MW", "mw": "MW", "km2": "km2", "km²": "km2",
                            "barils": "barrel"}
DURATIONS: dict[str, str] = {"an": "year", "ans": "year", "année": "year", "années": "year", "mois": "month",
                             "semaine": "week", "semaines": "week", "jour": "day", "jours": "day",
                             "heure": "hour", "heures": "hour", "minute": "minute", "minutes": "minute",
                             "siècle": "century", "siècles": "century", "décennie": "decade", "décennies": "decade"}
# Comparators before a figure (longest first when matched) and the change a verb or noun before it tells.
COMPARATORS = ("plus de", "moins de", "près de", "environ", "quelque", "au moins", "jusqu'à", "jusqu’à",
               "presque", "au-delà de", "quasiment", "pas moins de", "au maximum", "au minimum", "autour de",
               "un peu plus de", "un peu moins de", "plus d'", "plus d’", "moins d'", "moins d’")
CHANGE_DOWN = re.compile(r"(?:baissée?s?|diminuée?s?|reculée?s?|chutée?s?|fondu|baisse|recul|chute|diminution|"
                         r"repli|replié)\s+(?:de\s+)?$", re.IGNORECASE)
CHANGE_UP = re.compile(r"(?:augmentée?s?|progressée?s?|grimpée?s?|bondi|hausse|augmentation|progression|"
                       r"croissance|gagné|envolée?s?)\s+(?:de\s+)?$", re.IGNORECASE)
# `counted_key` of French nouns (extractors.lang.fr.numbers.counted_key_fr): plurals not made by -s/-x or by
# -aux -> -al ...
FR_IRREGULAR_PLURALS: dict[str, str] = {
    "yeux": "œil", "cieux": "ciel", "aïeux": "aïeul", "travaux": "travail", "baux": "bail", "vitraux": "vitrail",
    "émaux": "émail", "coraux": "corail", "soupiraux": "soupirail", "messieurs": "monsieur",
    "mesdames": "madame", "mesdemoiselles": "mademoiselle", "gens": "gens",
}  # fmt: skip
# ... and nouns in -s, -x or -z that are the same in the singular ("fois", "pays", "prix", "taux").
FR_INVARIANT = frozenset(_words("""
    fois mois pays cas bras corps temps avis souris repas dos os poids cours concours discours parcours
    recours secours tiers univers travers remords puits fonds ours jus bus virus campus consensus processus
    abus refus blocus obus colis débris tapis devis permis parvis radis palais relais marais rabais biais
    héros prix voix choix croix paix noix taux faux gaz nez riz
"""))
