"""A generation job: one piece of AI work asked for by any app, and everything known
about it (progress, attempts, the last error, what it cost).

The job points at what it works on (a character, a story, a page) with foreign keys
named by their model label, so the database keeps the links consistent and a
deleted story leaves its jobs (and their cost) behind. This layer never follows
them: what a kind of job does to its app's objects is registered by that app
(storyforge/generation/kinds.py).
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class GenerationJob(models.Model):
    """One piece of AI work (a set of portrait candidates, a story's text, or one
    page's illustration). Jobs outlive what they made, so that usage and budgets
    still count work whose story was deleted."""

    Status = JobStatus

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="generation_jobs")
    kind = models.CharField(max_length=20, help_text="A kind an app registered (storyforge.generation.kinds).")
    character = models.ForeignKey(
        "characters.Character", null=True, blank=True, on_delete=models.SET_NULL, related_name="generation_jobs"
    )
    story = models.ForeignKey(
        "stories.Story", null=True, blank=True, on_delete=models.SET_NULL, related_name="generation_jobs"
    )
    page = models.ForeignKey(
        "stories.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="generation_jobs"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    attempts = models.PositiveSmallIntegerField(default=0)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=100, unique=True)
    requested = models.BooleanField(
        default=True,
        help_text="Asked for by a person (counts towards the daily limit), not a follow-up of the pipeline.",
    )
    request_id = models.CharField(max_length=64, blank=True, help_text="The web request that asked for it.")
    provider = models.CharField(max_length=32, blank=True)
    model = models.CharField(max_length=100, blank=True)
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    cost = models.DecimalField(
        max_digits=12,
        decimal_places=6,
        default=0,
        help_text="US dollars charged, whether the job succeeded or not.",
    )
    reserved = models.DecimalField(
        max_digits=12,
        decimal_places=6,
        default=0,
        help_text="US dollars of the daily budget held for it while queued or running (its estimate); 0 once it ends.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    deadline_at = models.DateTimeField(null=True, blank=True, help_text="A running job past this is swept as stuck.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="job_owner_recent"),
            models.Index(fields=["status", "deadline_at"], name="job_status_deadline"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(kind=""), name="job_has_kind"),
            models.CheckConstraint(condition=models.Q(status__in=JobStatus.values), name="job_status_known"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="job_progress_at_most_100"),
            models.CheckConstraint(condition=models.Q(cost__gte=0), name="job_cost_not_negative"),
            models.CheckConstraint(condition=models.Q(reserved__gte=0), name="job_reserved_not_negative"),
            # A finished job holds nothing of the budget: what it spent is in `cost`.
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running"]) | models.Q(reserved=0),
                name="job_reserves_only_while_unfinished",
            ),
            models.CheckConstraint(condition=~models.Q(idempotency_key=""), name="job_has_idempotency_key"),
            models.CheckConstraint(
                condition=~models.Q(status="failed") | ~models.Q(error_code=""), name="job_failure_has_code"
            ),
        ]

    def __str__(self):
        return f"{self.kind_label} job {self.pk} ({self.status})"

    @property
    def kind_label(self) -> str:
        from storyforge.generation.kinds import job_kind_label

        return job_kind_label(self.kind)

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class Allowance(models.Model):
    """One user's own daily limits, set by staff in the admin; an empty field means the
    setting's default (STORYFORGE_DAILY_BUDGET, STORYFORGE_DAILY_GENERATIONS).

    Its row is also the lock a request for generation takes (storyforge.generation.budget),
    so a user's requests are checked and reserved one after the other. A user who has
    asked for generation has a row, empty until staff fill it in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="generation_allowance")
    daily_budget = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="US dollars of AI a day (UTC). Empty: the default for everyone. 0: no generation at all.",
    )
    daily_generations = models.PositiveIntegerField(
        null=True, blank=True, help_text="Generations asked for a day (UTC). Empty: the default for everyone."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(daily_budget__isnull=True) | models.Q(daily_budget__gte=0),
                name="allowance_budget_not_negative",
            ),
        ]

    def __str__(self):
        return f"Allowance of {self.user}"
