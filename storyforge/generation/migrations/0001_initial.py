# The generation job moves from the stories app to storyforge.generation, keeping
# every row: stories 0004 renames the table and drops the model from the stories
# app's state; this migration adds the same model to this app's state without
# touching the database, and moves the content type (permissions, admin history).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_type_move(apps, schema_editor, *, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=new, model="generationjob").exists():
        ContentType.objects.using(db).filter(app_label=old, model="generationjob").update(app_label=new)


def forward(apps, schema_editor):
    content_type_move(apps, schema_editor, old="stories", new="generation")


def backward(apps, schema_editor):
    content_type_move(apps, schema_editor, old="generation", new="stories")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("characters", "0002_character_card_extensions"),
        ("stories", "0004_generation_job_moves_to_generation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="GenerationJob",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("portrait", "Portrait candidates"),
                                    ("story_text", "Story text"),
                                    ("page_illustration", "Page illustration"),
                                    ("page_text", "Page text"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Queued"),
                                    ("running", "Running"),
                                    ("succeeded", "Succeeded"),
                                    ("failed", "Failed"),
                                    ("cancelled", "Cancelled"),
                                ],
                                default="queued",
                                max_length=10,
                            ),
                        ),
                        ("progress", models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("error_code", models.CharField(blank=True, max_length=40)),
                        ("error_message", models.TextField(blank=True)),
                        ("idempotency_key", models.CharField(max_length=100, unique=True)),
                        (
                            "requested",
                            models.BooleanField(
                                default=True,
                                help_text="Asked for by a person (counts towards the daily limit), not a follow-up of the pipeline.",
                            ),
                        ),
                        (
                            "request_id",
                            models.CharField(blank=True, help_text="The web request that asked for it.", max_length=64),
                        ),
                        ("provider", models.CharField(blank=True, max_length=32)),
                        ("model", models.CharField(blank=True, max_length=100)),
                        ("prompt_tokens", models.PositiveIntegerField(default=0)),
                        ("completion_tokens", models.PositiveIntegerField(default=0)),
                        (
                            "cost",
                            models.DecimalField(decimal_places=6, default=0, help_text="US dollars.", max_digits=12),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "deadline_at",
                            models.DateTimeField(
                                blank=True, help_text="A running job past this is swept as stuck.", null=True
                            ),
                        ),
                        (
                            "character",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="generation_jobs",
                                to="characters.character",
                            ),
                        ),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="generation_jobs",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "page",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="generation_jobs",
                                to="stories.page",
                            ),
                        ),
                        (
                            "story",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="generation_jobs",
                                to="stories.story",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-created_at", "-id"],
                    },
                ),
                migrations.AddIndex(
                    model_name="generationjob",
                    index=models.Index(fields=["owner", "-created_at"], name="job_owner_recent"),
                ),
                migrations.AddIndex(
                    model_name="generationjob",
                    index=models.Index(fields=["status", "deadline_at"], name="job_status_deadline"),
                ),
                migrations.AddConstraint(
                    model_name="generationjob",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("kind__in", ["portrait", "story_text", "page_illustration", "page_text"])),
                        name="job_kind_known",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="generationjob",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("status__in", ["queued", "running", "succeeded", "failed", "cancelled"])),
                        name="job_status_known",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="generationjob",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("progress__lte", 100)), name="job_progress_at_most_100"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="generationjob",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("cost__gte", 0)), name="job_cost_not_negative"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="generationjob",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("idempotency_key", ""), _negated=True), name="job_has_idempotency_key"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="generationjob",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "failed"), _negated=True),
                            models.Q(("error_code", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="job_failure_has_code",
                    ),
                ),
            ],
        ),
        migrations.RunPython(forward, backward),
    ]
