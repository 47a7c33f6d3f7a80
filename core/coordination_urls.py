from django.urls import path

from core import coordination, on_behalf

app_name = "coordination"

urlpatterns = [
    path("", coordination.today_page, name="today"),
    path("ausgabe/", coordination.counter_page, name="counter"),
    path("freigaben/", coordination.approvals_page, name="approvals"),
    path("buchen/", coordination.book_for_page, name="book"),
    path("anmelden/", on_behalf.signup_for_page, name="signup"),
    path("mitglieder/neu/", on_behalf.member_new_page, name="member-new"),
    path(
        "mitglieder/<int:pk>/passwort/",
        coordination.member_password_page,
        name="member-password",
    ),
]
