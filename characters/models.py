from django.conf import settings
from django.db import models
from django.db.models.functions import Greatest, Least

from characters.catalogue import Kind, Pronouns
from storyforge.core.images import GeneratedImage

# The kind of generation job that draws a character's portrait candidates (characters/jobs.py).
PORTRAIT_JOB = "portrait"


class Character(models.Model):
    """Someone who stars in stories. Drafts are saved by the wizard at every step;
    a character becomes ready when the grown-up confirms it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        READY = "ready", "Ready"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="characters")
    name = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CHILD)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    pronouns = models.CharField(max_length=16, choices=Pronouns.choices, default=Pronouns.THEY)
    traits = models.JSONField(default=list, blank=True, help_text="Keys from the trait catalogue.")
    custom_traits = models.JSONField(default=list, blank=True, help_text="A few traits of the grown-up's own words.")
    hair_colour = models.CharField(max_length=24, blank=True)
    hair_style = models.CharField(max_length=24, blank=True)
    eye_colour = models.CharField(max_length=24, blank=True)
    skin_tone = models.CharField(max_length=24, blank=True)
    clothing = models.CharField(max_length=200, blank=True)
    distinctive_features = models.CharField(max_length=200, blank=True)
    backstory = models.TextField(blank=True)
    likes = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    selected_portrait = models.ForeignKey(
        "characters.Portrait", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    card_extensions = models.JSONField(
        default=dict,
        blank=True,
        help_text="Other tools' extensions from an imported character card, written back on export.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-updated_at"], name="character_owner_recent"),
            models.Index(fields=["owner", "status", "-updated_at"], name="character_owner_status_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=["draft", "ready"]), name="character_status_known"),
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="character_kind_known"),
            models.CheckConstraint(condition=models.Q(pronouns__in=Pronouns.values), name="character_pronouns_known"),
            models.CheckConstraint(
                condition=models.Q(status="draft") | ~models.Q(name=""), name="character_ready_has_name"
            ),
            models.CheckConstraint(condition=models.Q(age__lte=1000), name="character_age_at_most_1000"),
        ]

    def __str__(self):
        return self.name or f"Unnamed draft #{self.pk}"


class Portrait(GeneratedImage):
    """A candidate picture of a character; at most one is the selected one."""

    UPLOAD_FOLDER = "portraits"

    class Source(models.TextChoices):
        GENERATED = "generated", "Generated"
        UPLOADED = "uploaded", "Uploaded"

    character = models.ForeignKey(Character, on_delete=models.CASCADE, related_name="portraits")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.GENERATED)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["character", "-created_at"], name="portrait_character_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["character"], condition=models.Q(is_selected=True), name="portrait_one_selected_per_character"
            ),
            models.CheckConstraint(condition=models.Q(cost__gte=0), name="portrait_cost_not_negative"),
        ]

    def __str__(self):
        return f"Portrait of {self.character_id} ({self.provider})"


class RelationshipKind(models.TextChoices):
    """Read as "FROM is TO's <kind>": Mia is Leo's sibling, Rex is Tom's pet."""

    FRIEND = "friend", "friend"
    BEST_FRIEND = "best-friend", "best friend"
    SIBLING = "sibling", "sibling"
    PARENT = "parent", "parent"
    GRANDPARENT = "grandparent", "grandparent"
    COUSIN = "cousin", "cousin"
    PET = "pet", "pet"
    TEACHER = "teacher", "teacher"
    NEIGHBOUR = "neighbour", "neighbour"
    CLASSMATE = "classmate", "classmate"
    RIVAL = "rival", "rival"


# How the relationship reads from the other side: if Grandma is Leo's grandparent,
# Leo is Grandma's grandchild.
RELATIONSHIP_INVERSE = {
    RelationshipKind.PARENT: "child",
    RelationshipKind.GRANDPARENT: "grandchild",
    RelationshipKind.PET: "owner",
    RelationshipKind.TEACHER: "student",
}


class Relationship(models.Model):
    """How two characters of the same owner know each other. One relationship per
    pair of characters, whichever way round it was entered."""

    from_character = models.ForeignKey(Character, on_delete=models.CASCADE, related_name="relationships_from")
    to_character = models.ForeignKey(Character, on_delete=models.CASCADE, related_name="relationships_to")
    kind = models.CharField(max_length=16, choices=RelationshipKind.choices)
    note = models.CharField(max_length=200, blank=True, help_text='For example "big sister" or "since nursery".')
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_character=models.F("to_character")), name="relationship_not_with_itself"
            ),
            models.UniqueConstraint(
                Least("from_character", "to_character"),
                Greatest("from_character", "to_character"),
                name="relationship_one_per_pair",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=RelationshipKind.values), name="relationship_kind_known"
            ),
        ]

    def __str__(self):
        return f"{self.from_character} is {self.to_character}'s {self.get_kind_display()}"

    def inverse_label(self) -> str:
        """The kind as seen from `to_character`."""
        return RELATIONSHIP_INVERSE.get(self.kind, self.get_kind_display())
