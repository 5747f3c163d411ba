"""The few words a book adds to its story, in the story's language: "by" and
"Starring" on the cover, "Dedication" and "Page" in a page's title, "The end" on the
last page.
The reader, the print view, the shared page and both exports take them from here."""

from storyforge.core.reading import Language

BOOK_WORDS = {
    Language.ENGLISH: {
        "by": "by",
        "starring": "Starring",
        "the_end": "The end",
        "page": "Page",
        "dedication": "Dedication",
    },
    Language.GERMAN: {"by": "von", "starring": "Mit", "the_end": "Ende", "page": "Seite", "dedication": "Widmung"},
    Language.FRENCH: {"by": "par", "starring": "Avec", "the_end": "Fin", "page": "Page", "dedication": "Dédicace"},
    Language.SPANISH: {"by": "por", "starring": "Con", "the_end": "Fin", "page": "Página", "dedication": "Dedicatoria"},
    Language.ITALIAN: {"by": "di", "starring": "Con", "the_end": "Fine", "page": "Pagina", "dedication": "Dedica"},
    Language.DUTCH: {
        "by": "door",
        "starring": "Met",
        "the_end": "Einde",
        "page": "Bladzijde",
        "dedication": "Opdracht",
    },
    Language.PORTUGUESE: {
        "by": "por",
        "starring": "Com",
        "the_end": "Fim",
        "page": "Página",
        "dedication": "Dedicatória",
    },
}


def book_words(language: str) -> dict[str, str]:
    """The words in `language`, or in English for a language the table lacks."""
    return BOOK_WORDS.get(language, BOOK_WORDS[Language.ENGLISH])
