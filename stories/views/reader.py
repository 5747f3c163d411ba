"""Reading a finished book, editing its pages in place, and sharing it.

Every page of a book is in the document, linked by anchors (`#page-3`), so the
reader, the page editor and the picture chooser all work as plain links and
forms; static/js/reader.js turns that into one page at a time, and htmx swaps
the text editor and the regeneration notice in place. htmx asks for the
partials in templates/stories/partials/page_*.html.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from stories import services
from stories.book_words import book_words
from stories.models import Story
from stories.selectors import page_get, story_book_get, story_book_get_cached, story_get, story_get_shared
from stories.views.cover import cover_shown, cover_tools
from stories.views.refusals import refusal_tell
from storyforge.core.errors import Conflict, DomainError, NotFound
from storyforge.core.pagecache import pagecache_read
from storyforge.core.ratelimit import rate_limit
from storyforge.generation.models import GenerationJob
from storyforge.generation.selectors import job_get

# reader.js lets htmx swap a response carrying this header even when its status is
# an error (400, 409, 422...): those partials are the form or notice to show in place.
PARTIAL_HEADER = "X-Reader-Partial"
UNFINISHED = (GenerationJob.Status.QUEUED, GenerationJob.Status.RUNNING)
# Where the text of a page starts a new paragraph (as the linebreaks filter sees it).
BLANK_LINE = re.compile(r"\n\s*\n")


def _reader_url(story_id, anchor: str = "", **query) -> str:
    url = reverse("stories:detail", args=[story_id])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return f"{url}#{anchor}" if anchor else url


def _names(names: list[str]) -> str:
    """ "Mia", "Mia and Leo", "Mia, Leo and Sam"."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _book(story: Story, *, author: str, can_edit: bool, narration: bool = False) -> dict:
    """What the reader, the print view and the shared page show of a book. Each page
    gets the anchors of the pages before and after it for the Previous/Next links.
    With `narration` (the story's clips prefetched, as story_book_get does) and every
    page with text narrated, each such page also gets its sentences' clips as
    paragraphs (`page.read_along`) and `read_along` is true: the reader plays them."""
    pages = list(story.pages.all())
    front = ["dedication"] if story.dedication else []  # the dedication page, between the cover and page 1
    anchors = ["cover", *front, *(f"page-{page.number}" for page in pages), "the-end"]
    for index, page in enumerate(pages, start=1 + len(front)):
        page.anchor, page.previous_anchor, page.next_anchor = anchors[index], anchors[index - 1], anchors[index + 1]
    cover = cover_shown(story, pages)
    drawn = [cover] if story.cover_id else []
    drawn += [page.selected_illustration for page in pages if page.selected_illustration]
    return {
        "story": story,
        "pages": pages,
        "cover_picture": cover,
        "dedication_lines": story.dedication.splitlines(),
        "after_cover": anchors[1],
        # Which artist drew the pictures: a server without images falls back to the built-in one.
        "artists": _names(sorted({picture.artist for picture in drawn})),
        "last_anchor": anchors[-2],
        "characters": _names([role.character.name for role in story.cast.all()]),
        "author": story.author_name or author,
        "words": book_words(story.language),
        "can_edit": can_edit,
        "read_along": narration and _read_along(pages),
    }


def _read_along(pages: list) -> bool:
    """Give each page with text its clips as paragraphs (`page.read_along`) when every
    such page is narrated; a book narrated only in part is read by the browser's speech."""
    written = [page for page in pages if page.text.strip()]
    if not written or not all(page.narrated for page in written):
        return False
    paragraphs = [_clip_paragraphs(page) for page in written]
    if any(found is None for found in paragraphs):
        return False
    for page, found in zip(written, paragraphs, strict=True):
        page.read_along = found
    return True


def _clip_paragraphs(page) -> list[list[tuple]] | None:
    """The page's clips laid out as its text is: a blank line between two sentences
    starts a paragraph, a single line break is kept as one. Each paragraph is a list of
    (clip, line break before it); None when a clip's sentence is not in the text."""
    text = page.text.replace("\r\n", "\n")
    paragraphs: list[list[tuple]] = [[]]
    position = 0
    for clip in page.narration_clips:
        sentence = clip.text.replace("\r\n", "\n")
        found = text.find(sentence, position)
        if found < 0:
            return None
        between = text[position:found]
        if paragraphs[-1] and BLANK_LINE.search(between):
            paragraphs.append([])
        paragraphs[-1].append((clip, bool(paragraphs[-1]) and "\n" in between))
        position = found + len(sentence)
    return paragraphs


def _narration(request, story: Story) -> dict:
    """How far the book's narration is, for the Narration box: through the page cache
    like the book itself (requesting, finishing or failing a job invalidates it), so
    that a reader served from the cache still reads only the session and the user."""
    return pagecache_read(
        "reader_narration",
        f"narration:{story.pk}",
        lambda: services.narration_state(story=story),
        user_id=request.user.pk,
    )


def _reader(request, story: Story, *, status: int = 200, **extra):
    """The owner's reader. `extra` can open the text editor on one page (`editing`),
    show a regeneration notice on one (`notice`) or a rename error (`title_form`)."""
    if story.status != Story.Status.READY:
        return redirect("stories:progress", story_id=story.pk)
    context = _book(story, author=request.user.author_name, can_edit=True, narration=True)
    if story.series_id:
        continue_url = f"{reverse('stories:new')}?series={story.series_id}"
    else:
        continue_url = f"{reverse('stories:new')}?characters={','.join(str(r.character_id) for r in story.cast.all())}"
    share_url = ""
    if story.share_token:
        share_url = request.build_absolute_uri(reverse("stories:shared", args=[story.share_token]))
    context.update(
        breadcrumbs=[("Stories", reverse("stories:list")), (str(story), None)],
        continue_url=continue_url,
        share_url=share_url,
        narration=_narration(request, story),
        **cover_tools(story),
        **extra,
    )
    return render(request, "stories/read.html", context, status=status)


def _partial(request, template: str, context: dict, status: int = 200):
    response = render(request, template, context, status=status)
    response[PARTIAL_HEADER] = "1"
    return response


def _version(raw) -> int | None:
    return int(raw) if raw and str(raw).isdigit() else None


@login_required
@require_safe
def story_read(request, story_id: int):
    story = story_book_get_cached(user=request.user, story_id=story_id)
    notice = None
    pending = request.GET.get("pending", "")
    if pending.isdigit() and story.status == Story.Status.READY:
        try:
            job = job_get(user=request.user, job_id=pending)
        except NotFound:
            job = None
        number = next((page.number for page in story.pages.all() if job and page.pk == job.page_id), None)
        if number is not None:
            notice = {"number": number, "job": job, "unfinished": job.status in UNFINISHED}
    return _reader(request, story, notice=notice)


@login_required
@require_safe
def story_print(request, story_id: int):
    story = story_book_get(user=request.user, story_id=story_id)
    if story.status != Story.Status.READY:
        return redirect("stories:progress", story_id=story.pk)
    context = _book(story, author=request.user.author_name, can_edit=False)
    context["breadcrumbs"] = [
        ("Stories", reverse("stories:list")),
        (str(story), reverse("stories:detail", args=[story.pk])),
        ("Print", None),
    ]
    return render(request, "stories/print.html", context)


@login_required
@require_safe
def page_text(request, story_id: int, number: int):
    """A page's text as the reader shows it: what htmx puts back when editing is cancelled."""
    if not request.htmx:
        return redirect(_reader_url(story_id, f"page-{number}"))
    page = page_get(user=request.user, story_id=story_id, number=number)
    return _partial(request, "stories/partials/page_text.html", {"story": page.story, "page": page})


@login_required
def page_edit(request, story_id: int, number: int):
    """The text editor of one page, in place of its text: the version it started from
    goes with the text, so that a save over someone else's newer one is refused."""
    status = 200
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            page = services.page_text_update(
                user=request.user,
                story_id=story_id,
                number=number,
                text=text,
                version=_version(request.POST.get("version")),
            )
        except DomainError as problem:
            if problem.http_status == 404:
                raise
            form = {"text": text, "version": request.POST.get("version", ""), "error": problem}
            if isinstance(problem, Conflict):
                theirs = page_get(user=request.user, story_id=story_id, number=number)
                form.update(theirs=theirs.text, version=theirs.version)
            status = problem.http_status
        else:
            if request.htmx:
                return _partial(
                    request, "stories/partials/page_text.html", {"story": page.story, "page": page, "saved": True}
                )
            messages.success(request, f"Page {number} is saved.")
            return redirect(_reader_url(story_id, f"page-{number}"))
    else:
        page = page_get(user=request.user, story_id=story_id, number=number)
        form = {"text": page.text, "version": page.version}
    form["number"] = number
    if request.htmx:
        return _partial(
            request, "stories/partials/page_text_form.html", {"story_id": story_id, "form": form}, status=status
        )
    return _reader(request, story_book_get(user=request.user, story_id=story_id), status=status, editing=form)


@login_required
@require_POST
@rate_limit("generation_user", key="user")
def page_regenerate(request, story_id: int, number: int):
    """Ask for new text or a new picture for a page; the worker makes it. The notice
    beside the page says it is on its way (htmx asks again every 2 s)."""
    what = request.POST.get("what", "")
    try:
        job = services.page_regenerate(user=request.user, story_id=story_id, number=number, what=what)
    except DomainError as problem:
        if problem.http_status == 404:
            raise
        notice, status = {"number": number, "error": problem}, problem.http_status
    else:
        if not request.htmx:
            return redirect(_reader_url(story_id, f"page-{number}", pending=job.pk))
        notice, status = {"number": number, "job": job, "unfinished": True}, 200
    if request.htmx:
        return _partial(request, "stories/partials/page_job.html", {"story_id": story_id, "notice": notice}, status)
    return _reader(request, story_book_get(user=request.user, story_id=story_id), status=status, notice=notice)


@login_required
@require_safe
def job_status(request, story_id: int, job_id: int):
    """How a page's regeneration is going. htmx polls with `?seen=unfinished` and gets
    204 (nothing to swap) until the job has finished, so that the notice is not
    re-announced every 2 s."""
    job = job_get(user=request.user, job_id=job_id)
    if job.story_id != story_id or job.page_id is None:
        raise NotFound("That job does not exist, or it is not this story's.")
    number = job.page.number
    if not request.htmx:
        return redirect(_reader_url(story_id, f"page-{number}", pending=job.pk))
    unfinished = job.status in UNFINISHED
    if unfinished and request.GET.get("seen") == "unfinished":
        return HttpResponse(status=204)
    notice = {"number": number, "job": job, "unfinished": unfinished, "polled": True}
    return _partial(request, "stories/partials/page_job.html", {"story_id": story_id, "notice": notice})


@login_required
@require_POST
def illustration_select(request, story_id: int, number: int, illustration_id: int):
    services.illustration_select(user=request.user, story_id=story_id, number=number, illustration_id=illustration_id)
    messages.success(request, f"Page {number} now has the picture you chose.")
    return redirect(_reader_url(story_id, f"page-{number}"))


@login_required
@require_POST
def story_share(request, story_id: int):
    """Share the book through a read-only link, or (`action=stop`) stop the link working."""
    try:
        if request.POST.get("action") == "stop":
            services.story_unshare(user=request.user, story_id=story_id)
            messages.success(request, "Sharing stopped: the old link no longer opens the book.")
        else:
            services.story_share(user=request.user, story_id=story_id)
            messages.success(request, "Anyone with the link below can now read this book, but not change it.")
    except DomainError as problem:
        refusal_tell(request, problem)
    return redirect(_reader_url(story_id, "share"))


@login_required
@require_http_methods(["GET", "POST"])
@rate_limit("generation_user", key="user")
def story_narrate(request, story_id: int):
    """POST: read the book aloud, a voice for every page not narrated yet. GET: the
    Narration box's status, which htmx asks for every two seconds while it runs."""
    if request.method == "GET":
        story = story_book_get(user=request.user, story_id=story_id)
        context = {"story": story, "narration": services.narration_state(story=story), "read_along": False}
        return render(request, "stories/partials/narration_status.html", context)
    try:
        jobs = services.story_narrate(user=request.user, story_id=story_id)
    except DomainError as problem:
        refusal_tell(request, problem)
    else:
        if jobs:
            messages.success(request, f"Narrating {len(jobs)} page(s); the voice is ready in a minute or two.")
        else:
            messages.info(request, "Every page already has its voice.")
    return redirect(_reader_url(story_id, "narration"))


@require_safe
def story_shared(request, token: str):
    """The public, read-only page of a shared book: no log-in, no edit controls."""
    story = story_get_shared(token=token)
    # The public page names the author by their display name only, never the username.
    context = _book(story, author=story.owner.get_full_name(), can_edit=False, narration=True)
    context["breadcrumbs"] = [(str(story), None)]
    context["media_share"] = token  # the pictures' addresses carry the link's key
    response = render(request, "stories/shared.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The token is the key to the book: links followed from this page must not carry it.
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_POST
def story_title(request, story_id: int):
    title = request.POST.get("title", "")
    try:
        services.story_update(user=request.user, story_id=story_id, title=title)
    except DomainError as problem:
        if problem.http_status == 404:
            raise
        story = story_book_get(user=request.user, story_id=story_id)
        form = {field: getattr(story, field) for field in ("subtitle", "author_name", "dedication")}
        form.update(title=title, error=problem, field="title")
        return _reader(request, story, status=problem.http_status, front_form=form)
    messages.success(request, "The book has its new title.")
    return redirect(_reader_url(story_id))


@login_required
def story_delete(request, story_id: int):
    """A confirmation page; posting it deletes the story and goes back to the gallery."""
    if request.method == "POST":
        services.story_delete(user=request.user, story_id=story_id)
        messages.success(request, "The story was deleted.")
        return redirect("stories:list")
    story = story_get(user=request.user, story_id=story_id)
    back = reverse("stories:detail" if story.status == Story.Status.READY else "stories:progress", args=[story.pk])
    return render(
        request,
        "stories/delete.html",
        {
            "story": story,
            "back_url": back,
            "breadcrumbs": [("Stories", reverse("stories:list")), (str(story), back), ("Delete", None)],
        },
    )
