"""Editorial test helpers: users in roles, an article in a category, workflow steps."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import TaskState

from component_sites.editorial.roles import COLLABORATOR, EDITOR, HEAD


def user(username, *roles, email=None):
    account = get_user_model().objects.create_user(
        username=username, password="Mat-khau-bien-tap-2026", email=email or f"{username}@test.vn"
    )
    account.groups.add(*Group.objects.filter(name__in=roles))
    return account


def board():
    """A collaborator, an editor and the head of the board."""
    return user("ctv", COLLABORATOR), user("btv", EDITOR), user("truongban", HEAD)


def draft_article(category, owner, title="Bài gửi duyệt", **fields):
    from component_sites.news.models import ArticlePage

    article = ArticlePage(
        title=title,
        lead="Sapo bài gửi duyệt.",
        body=[("paragraph", "<p>Nội dung.</p>")],
        owner=owner,
        live=False,
        **fields,
    )
    category.add_child(instance=article)
    article.save_revision(user=owner)
    return article


def submit(article, user):
    workflow = article.get_workflow()
    return workflow.start(article, user)


def act(article, user, action, comment=""):
    article.refresh_from_db()
    state = article.current_workflow_state
    task_state = state.current_task_state
    task = task_state.task.specific
    kwargs = {"comment": comment} if comment else {}
    task.on_action(task_state, user, action, **kwargs)
    return TaskState.objects.get(pk=task_state.pk)
