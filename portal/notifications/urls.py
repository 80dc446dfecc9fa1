from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("outbox/", views.outbox_list, name="outbox"),
    path("outbox/<int:pk>/resend/", views.resend, name="resend"),
    path("outbox/resend-failed/", views.resend_failed, name="resend_failed"),
    path("schedule/", views.schedule, name="schedule"),
]
