"""The character pages, split by what they are for: `gallery` (the gallery, a
character's page, deleting it, cards), `wizard` (the six steps that make or edit a
character), `portraits` (the wizard's portrait step), and `display` (what they all
show of a character, and errors beside the fields).

Every flow works with plain form posts and full pages; htmx and static/js/wizard.js
only make it quicker (live trait checks, a live preview, autosave, portrait progress).
"""
