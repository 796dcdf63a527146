"""Citizen participation's models, one module per job (app label ``participation``).

- ``questions``: questions and feedback, tracking codes, the answer workflow and deadline;
- ``question_page``: the questions section page and its routes;
- ``drafts``: drafts for public comment, their files and comments;
- ``readers``: article comments and ratings, service satisfaction ratings.

Everything is importable from ``component_sites.participation.models`` as before.
"""

from .drafts import DraftAttachment, DraftComment, DraftIndexPage, DraftPage
from .question_page import QuestionIndexPage
from .questions import (
    ANSWER_DEADLINE_WORKING_DAYS,
    CODE_ALPHABET,
    CODE_PREFIXES,
    REMINDER_WORKING_DAYS,
    Question,
    QuestionField,
    new_tracking_code,
    normalise_code,
)
from .readers import ArticleComment, ArticleRating, ServiceRating

__all__ = [
    "ANSWER_DEADLINE_WORKING_DAYS",
    "CODE_ALPHABET",
    "CODE_PREFIXES",
    "REMINDER_WORKING_DAYS",
    "ArticleComment",
    "ArticleRating",
    "DraftAttachment",
    "DraftComment",
    "DraftIndexPage",
    "DraftPage",
    "Question",
    "QuestionField",
    "QuestionIndexPage",
    "ServiceRating",
    "new_tracking_code",
    "normalise_code",
]
