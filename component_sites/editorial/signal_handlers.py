"""Collaborators' category groups kept in step with assignments; workflow e-mails sent by Celery.

Wagtail's own workflow notifiers send mail inside the request (a slow or failing SMTP
server would slow or break approving); they are replaced by handlers that queue a task
once the transaction commits.
"""

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import (
    task_submitted,
    workflow_approved,
    workflow_rejected,
    workflow_submitted,
)

WAGTAIL_NOTIFIERS = [
    (task_submitted, TaskState, "group_approval_task_submitted_email_notification"),
    (workflow_approved, WorkflowState, "workflow_state_approved_email_notification"),
    (workflow_rejected, WorkflowState, "workflow_state_rejected_email_notification"),
    (workflow_submitted, WorkflowState, "workflow_state_submitted_email_notification"),
]


def _queue(event: str, object_id: int) -> None:
    from component_sites.core.enqueue import enqueue

    schema = connection.schema_name
    transaction.on_commit(
        lambda: enqueue("tasks.editorial.notify_workflow_event", schema, event, object_id)
    )


def on_task_submitted(sender, instance, user=None, **kwargs):
    _queue("task_submitted", instance.pk)


def on_workflow_approved(sender, instance, user=None, **kwargs):
    _queue("workflow_approved", instance.pk)


def on_workflow_rejected(sender, instance, user=None, **kwargs):
    _queue("workflow_rejected", instance.pk)


def on_assignment_saved(sender, instance, **kwargs):
    from .roles import category_group

    instance.user.groups.add(category_group(instance.category))


def on_assignment_deleted(sender, instance, **kwargs):
    from django.contrib.auth.models import Group

    from .roles import CATEGORY_GROUP_PREFIX

    name = f"{CATEGORY_GROUP_PREFIX}{instance.category_id}"
    group = Group.objects.filter(name=name).first()
    still = sender.objects.filter(user_id=instance.user_id, category_id=instance.category_id)
    if group and not still.exists():
        instance.user.groups.remove(group)


def register() -> None:
    from .models import CategoryAssignment

    for signal, sender, uid in WAGTAIL_NOTIFIERS:
        signal.disconnect(sender=sender, dispatch_uid=uid)
    task_submitted.connect(on_task_submitted, sender=TaskState, dispatch_uid="editorial_task")
    workflow_approved.connect(
        on_workflow_approved, sender=WorkflowState, dispatch_uid="editorial_approved"
    )
    workflow_rejected.connect(
        on_workflow_rejected, sender=WorkflowState, dispatch_uid="editorial_rejected"
    )
    post_save.connect(on_assignment_saved, sender=CategoryAssignment, dispatch_uid="editorial_a+")
    post_delete.connect(
        on_assignment_deleted, sender=CategoryAssignment, dispatch_uid="editorial_a-"
    )
