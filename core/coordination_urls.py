from django.urls import path

from core import coordination

app_name = "coordination"

urlpatterns = [
    path("", coordination.today_page, name="today"),
    path("ausgabe/", coordination.counter_page, name="counter"),
    path("freigaben/", coordination.approvals_page, name="approvals"),
    path("buchen/", coordination.book_for_page, name="book"),
    path(
        "mitglieder/<int:pk>/passwort/",
        coordination.member_password_page,
        name="member-password",
    ),
]
