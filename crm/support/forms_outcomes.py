"""Forms of outcome measurement: a scale, a set of scores, a scoring link (I10).

The forms parse what was typed and keep it for a re-render; the services
check every rule (ranges, a second start, an archived scale).
"""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.support.choices import ScorePoint, Scorer
from crm.support.models import OutcomeScale
from crm.support.services import ScaleData
from crm.support.services.outcomes import SCORE_LIMIT

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ScaleForm(forms.Form):
    """An outcome scale: name, range and the areas scored together (if any)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        error_messages={"required": _("Enter a name.")},
        help_text=_("For example “Housing stability” or “Wellbeing”."),
    )
    min_score = forms.IntegerField(
        label=_("Lowest score"), min_value=0, max_value=SCORE_LIMIT, initial=1
    )
    max_score = forms.IntegerField(
        label=_("Highest score"), min_value=1, max_value=SCORE_LIMIT, initial=10
    )
    areas = forms.CharField(
        label=_("Areas scored together (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One area per line, e.g. Money, Health, Home. Leave empty to score "
            "the scale as one number."
        ),
    )

    @staticmethod
    def initial_for(scale: OutcomeScale) -> dict[str, Any]:
        """Return the form's initial data from ``scale``."""
        return {
            "name": scale.name,
            "min_score": scale.min_score,
            "max_score": scale.max_score,
            "areas": "\n".join(a.name for a in scale.areas.all()),
        }

    def to_data(self) -> ScaleData:
        """Return the cleaned data as the services' input."""
        data = self.cleaned_data
        return ScaleData(
            name=data["name"],
            min_score=data["min_score"],
            max_score=data["max_score"],
            areas=tuple((data.get("areas") or "").splitlines()),
        )


def score_field_name(area_id: int | None) -> str:
    """Return the form field of an area's score (``score`` for a whole scale)."""
    return f"area_{area_id}" if area_id is not None else "score"


class ScoresForm(forms.Form):
    """One set of scores on a scale: the numbers, and when and whose they are.

    ``public`` leaves out who and when (a scoring link knows both) and shows
    the numbers as large radio buttons for a phone.
    """

    point = forms.ChoiceField(
        label=_("When"), choices=ScorePoint.choices, widget=forms.RadioSelect
    )
    scorer = forms.ChoiceField(
        label=_("Whose scores"),
        choices=[
            (Scorer.CASE_MANAGER.value, _("Case manager's assessment")),
            (
                Scorer.BENEFICIARY.value,
                _("Beneficiary's own scores (entered by staff)"),
            ),
        ],
        initial=Scorer.CASE_MANAGER,
        widget=forms.RadioSelect,
    )
    recorded_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)

    def __init__(
        self, *args: Any, scale: OutcomeScale, public: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.scale = scale
        if public:
            for name in ("point", "scorer", "recorded_on"):
                del self.fields[name]
        else:
            self.fields["recorded_on"].initial = timezone.localdate()
        choices: list[tuple[str, Any]] = [
            (str(v), str(v)) for v in range(scale.min_score, scale.max_score + 1)
        ]
        areas = list(scale.areas.all())
        lines: list[tuple[int | None, str]] = [(a.pk, a.name) for a in areas] or [
            (None, scale.name)
        ]
        self.score_names = []
        for area_id, label in lines:
            name = score_field_name(area_id)
            self.score_names.append(name)
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=choices if public else [("", _("Choose…")), *choices],
                coerce=int,
                widget=forms.RadioSelect if public else forms.Select,
                error_messages={"required": _("Choose a score.")},
            )

    def score_fields(self) -> list[forms.BoundField]:
        """Return the bound score fields, in the scale's order."""
        return [self[name] for name in self.score_names]

    def values(self) -> dict[int | None, int]:
        """Return the scores by area id (None for a scale without areas)."""
        found: dict[int | None, int] = {}
        for name in self.score_names:
            area_id = None if name == "score" else int(name.removeprefix("area_"))
            found[area_id] = self.cleaned_data[name]
        return found


class ScoreLinkForm(forms.Form):
    """Send the beneficiary a link to give their own scores on a scale."""

    point = forms.ChoiceField(
        label=_("When"), choices=ScorePoint.choices, initial=ScorePoint.REVIEW
    )
