"""Reading levels shared by readers' preferences and stories."""

from django.db import models


class AgeGroup(models.TextChoices):
    TODDLER = "1-2", "1-2 years"
    PRESCHOOL = "3-5", "3-5 years"
    EARLY_READER = "6-8", "6-8 years"
    CONFIDENT_READER = "9-12", "9-12 years"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    GERMAN = "de", "Deutsch"
    FRENCH = "fr", "Français"
    SPANISH = "es", "Español"
    ITALIAN = "it", "Italiano"
    DUTCH = "nl", "Nederlands"
    PORTUGUESE = "pt", "Português"


class TextSize(models.TextChoices):
    SMALL = "small", "Small"
    MEDIUM = "medium", "Medium"
    LARGE = "large", "Large"
    EXTRA_LARGE = "x-large", "Extra large"
