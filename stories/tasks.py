from celery import shared_task

from stories import services
from storyforge.generation.retry import GenerationTask


@shared_task(base=GenerationTask, bind=True)
def story_text_write(self, job_id: int) -> None:
    self.run_job(services.story_text_write, job_id)


@shared_task(base=GenerationTask, bind=True)
def page_illustration_draw(self, job_id: int) -> None:
    self.run_job(services.page_illustration_draw, job_id)


@shared_task(base=GenerationTask, bind=True)
def page_text_rewrite(self, job_id: int) -> None:
    self.run_job(services.page_text_rewrite, job_id)


@shared_task(base=GenerationTask, bind=True)
def page_narration_speak(self, job_id: int) -> None:
    self.run_job(services.page_narration_speak, job_id)


@shared_task(base=GenerationTask, bind=True)
def page_write(self, job_id: int) -> None:
    self.run_job(services.page_write, job_id)


@shared_task(base=GenerationTask, bind=True)
def cover_illustration_draw(self, job_id: int) -> None:
    self.run_job(services.cover_illustration_draw, job_id)


@shared_task(acks_late=True)
def book_export_render(user_id: int, story_id: int, format: str, options: dict, digest: str) -> None:
    """A long book's PDF or MP3, made on the `cpu` worker (stories/export/background.py)."""
    from stories.export.background import book_export_render as render

    render(user_id=user_id, story_id=story_id, format=format, options=options, digest=digest)
