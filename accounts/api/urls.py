from django.urls import path

from accounts.api.views import (
    MeExportView,
    MemberDeleteView,
    MemberExportView,
    MeView,
    TokenView,
)

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("me/", MeView.as_view(), name="me"),
    path("me/export/", MeExportView.as_view(), name="me-export"),
    path("members/<int:pk>/", MemberDeleteView.as_view(), name="member-delete"),
    path("members/<int:pk>/export/", MemberExportView.as_view(), name="member-export"),
]
