from .models import AuditEvent


def record(actor, verb, target, **data):
    """Add one audit event; call it inside the transaction of the change it describes.

    `target` is None for an event about no object (a sign-in, a refused request).
    """
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:255] if target is not None else "",
        data=data,
    )
