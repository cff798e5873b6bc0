from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from viewflow.urls import Application, Site

from casework import permissions
from casework import urls as casework_urls
from casework.mail.forms import QueuedPasswordResetForm
from casework.signin import SignInView
from casework.views.health import healthz
from casework.views.pages import HomeView
from workflows.flows import CaseFlow, DpoFlow
from workflows.viewsets import CaseFlowViewset, DpoFlowViewset, TasksApp, WaitingView


class CaseworkSite(Site):
    index_path = path("", HomeView.as_view(), name="index")


site = CaseworkSite(
    title="Casework",
    viewsets=[
        Application(
            app_name="casework",
            title="Casework",
            icon="gavel",
            menu_template_name="casework/menu.html",
            urlpatterns=casework_urls.urlpatterns,
        ),
        TasksApp(
            title="Tasks",
            icon="inbox",
            flow_viewsets=[
                CaseFlowViewset(CaseFlow, icon="gavel"),
                DpoFlowViewset(DpoFlow, icon="policy"),
            ],
        ),
    ],
)

auth_patterns = [
    path(
        "login/",
        login_not_required(SignInView.as_view()),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        login_not_required(
            auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm)
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        login_not_required(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        login_not_required(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        login_not_required(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]

admin.site.site_header = "Casework administration"
admin.site.has_permission = lambda request: permissions.may_use_admin(request.user)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include(auth_patterns)),
    path("admin/", admin.site.urls),
    path("waiting/<str:token>/", WaitingView.as_view(), name="waiting"),
    path("", site.urls),
]
