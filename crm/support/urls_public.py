"""The support module's public pages: the referral form and the scoring link."""

from django.urls import path

from crm.support.views import public

app_name = "support_links"

urlpatterns = [
    path("refer/<str:key>/", public.referral_form, name="referral_form"),
    path("refer/<str:key>/thanks/", public.referral_thanks, name="referral_thanks"),
    path("score/<str:token>/", public.score, name="score"),
]
