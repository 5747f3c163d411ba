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
