from django.conf import settings
from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from apps.articles import views as article_views
from apps.core import views
from apps.core.ratelimit import limit_posts
from apps.quotes import views as quote_views
from apps.speakers import views as speaker_views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("compare/", views.compare, name="compare"),
    path("speakers/", speaker_views.speaker_list, name="speaker_list"),
    path("speakers/<slug:slug>/", speaker_views.speaker_detail, name="speaker_detail"),
    path("topics/", quote_views.topic_list, name="topic_list"),
    path("topics/<slug:slug>/", quote_views.topic_detail, name="topic_detail"),
    path("articles/", article_views.article_list, name="article_list"),
    path("articles/<int:pk>/", article_views.article_detail, name="article_detail"),
    path("outlets/", article_views.outlet_list, name="outlet_list"),
    path("outlets/<int:pk>/", article_views.outlet_detail, name="outlet_detail"),
    path("ingest/", article_views.ingest, name="ingest"),
    path("ingest/<int:pk>/", article_views.ingest_status, name="ingest_status"),
    path("quotes/<int:pk>/", quote_views.quote_detail, name="quote_detail"),
    path("quotes/<int:pk>/report/", quote_views.quote_report, name="quote_report"),
    path("quotes.csv", quote_views.export_csv, name="export_csv"),
    path("quotes.json", quote_views.export_json, name="export_json"),
    # The admin's sign-in, throttled per client address and per username (in the database).
    path(
        "admin/login/",
        limit_posts(
            "admin-login", limit=settings.ADMIN_LOGIN_ATTEMPTS, period=900, field="username"
        )(admin.site.login),
    ),
    path("admin/", admin.site.urls),
    path(  # browsers ask for /favicon.ico whatever the page says
        "favicon.ico",
        RedirectView.as_view(url=f"/{settings.STATIC_URL.strip('/')}/img/favicon.svg"),
    ),
]

# Friendly pages for the errors readers meet; a database that is down answers 503.
handler500 = "apps.core.errors.server_error"
