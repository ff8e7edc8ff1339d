from celery import shared_task

from cybersecurity import services


@shared_task(ignore_result=True)
def purge_expired_sessions() -> int:
    return services.purge_expired()
