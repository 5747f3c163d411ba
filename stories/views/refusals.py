"""How a plain form post tells the grown-up that the book said no."""

from django.contrib import messages

from storyforge.core.errors import DomainError


def refusal_tell(request, problem: DomainError) -> None:
    """A refusal is told beside the book, as a message on the next page; a book or page
    that is not the user's stays a 404."""
    if problem.http_status == 404:
        raise problem
    messages.error(request, problem.message)
