from celery import shared_task

from characters import services
from storyforge.generation.retry import GenerationTask


@shared_task(base=GenerationTask, bind=True)
def portrait_candidates_draw(self, job_id: int) -> None:
    self.run_job(services.portrait_candidates_draw, job_id)
