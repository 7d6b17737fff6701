"""The support module's public pages: the referral form, the scoring link and
the partner's referral link."""

from django.urls import path

from crm.support.views import partner, public

app_name = "support_links"

urlpatterns = [
    path("refer/<str:key>/", public.referral_form, name="referral_form"),
    path("refer/<str:key>/thanks/", public.referral_thanks, name="referral_thanks"),
    path("score/<str:token>/", public.score, name="score"),
    path("partner/<str:token>/", partner.partner, name="partner"),
]
