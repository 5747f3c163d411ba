"""A generation job: one piece of AI work asked for by any app, and everything known
about it (progress, attempts, the last error, what it cost).

The job points at what it works on (a character, a story, a page) with foreign keys
named by their model label, so the database keeps the links consistent and a
deleted story leaves its jobs (and their cost) behind. This layer never follows
them: what a kind of job does to its app's objects is registered by that app
(storyforge/generation/kinds.py).
"""

from django.conf import settings
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
    cost = models.DecimalField(max_digits=12, decimal_places=6, default=0, help_text="US dollars.")
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
