"""Firms (tenants), users, memberships and the firm's own reference lists."""

from typing import Any, ClassVar

from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.core.models import FirmOwnedModel, scoped
from crm.firms.choices import ROLE_PERMISSIONS, Perm, Role

hex_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # and six hex digits, e.g. #1d4ed8.")
)
# A firm's name goes into the From header of every e-mail the firm sends.
one_line = RegexValidator(
    r"[\r\n\x00]",
    _("Enter the name on one line, without line breaks."),
    inverse_match=True,
)
reference_prefix = RegexValidator(
    r"^[A-Z0-9]{0,6}$", _("Use up to six capital letters or digits, or leave blank.")
)


class UserManager(BaseUserManager["User"]):
    """Create users who log in with their e-mail address."""

    use_in_migrations = True

    def create_user(
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        """Create a user with a normalised, lower-case e-mail address."""
        if not email:
            msg = "Users need an e-mail address."
            raise ValueError(msg)
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> "User":
        """Find a user by e-mail address, whatever its case."""
        return self.get(email__iexact=username)

    def create_superuser(
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        """Create a platform operator with access to the admin."""
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in; firm access comes from memberships."""

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text=_("Platform operators only: may use the admin.")
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        """Return first and last name."""
        return f"{self.first_name} {self.last_name}".strip()

    def get_full_name(self) -> str:
        """Return first and last name (used by Django's auth views)."""
        return self.full_name

    def get_short_name(self) -> str:
        """Return the first name."""
        return self.first_name


class Firm(models.Model):
    """A customer of Casework: an advice firm or a charity, and all it owns."""

    name = models.CharField(_("firm name"), max_length=120, validators=[one_line])
    has_advice = models.BooleanField(
        _("Advice module"), default=True, help_text=_("Mortgage and protection cases.")
    )
    has_support = models.BooleanField(
        _("Support module"), default=False, help_text=_("Support cases for charities.")
    )
    brand_colour = models.CharField(
        _("branding colour"), max_length=7, default="#1d4ed8", validators=[hex_colour]
    )
    case_reference_prefix = models.CharField(
        _("case reference prefix"),
        max_length=6,
        blank=True,
        validators=[reference_prefix],
        help_text=_("Optional, put before every case reference, e.g. HA-MTG-00042."),
    )
    default_follow_up_days = models.PositiveSmallIntegerField(
        _("default follow-up (days)"), default=2
    )
    remortgage_review_months = models.PositiveSmallIntegerField(
        _("remortgage review (months before the product ends)"),
        default=6,
        validators=[MaxValueValidator(24)],
    )
    require_two_factor = models.BooleanField(
        _("require two-factor sign-in for all members"),
        default=False,
        help_text=_(
            "Members without it are sent to set it up before they can open "
            "any other page."
        ),
    )
    stale_case_days = models.PositiveSmallIntegerField(
        _("stale case alert (days)"),
        default=7,
        validators=[MaxValueValidator(365)],
        help_text=_(
            "Alert when a High or Urgent support case has had no interaction for "
            "this many days; 0 turns the alert off (SPEC I14)."
        ),
    )
    # Raised by one in the same transaction as any change to what the firm's
    # member and introducer pickers show (crm.firms.selectors.choice_cache):
    # each process keeps those lists and reloads them when this moves.
    choices_version = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(has_advice=True) | models.Q(has_support=True),
                name="firm_has_a_module",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Require at least one module."""
        from django.core.exceptions import ValidationError

        if not (self.has_advice or self.has_support):
            raise ValidationError(_("Choose at least one module."))

    @property
    def modules(self) -> list[str]:
        """Return the names of the modules the firm uses, e.g. ["advice"]."""
        return [
            name
            for name, on in (("advice", self.has_advice), ("support", self.has_support))
            if on
        ]

    @property
    def modules_label(self) -> str:
        """Return the firm's modules in words: "Advice and Support modules"."""
        names = [
            str(label)
            for on, label in (
                (self.has_advice, _("Advice")),
                (self.has_support, _("Support")),
            )
            if on
        ]
        noun = "modules" if len(names) > 1 else "module"
        return f"{' and '.join(names)} {noun}"

    def has_module(self, module: str) -> bool:
        """Return True if the firm uses ``module`` ("advice", "support"; "" is any)."""
        return not module or bool(getattr(self, f"has_{module}", False))


class Membership(FirmOwnedModel):
    """A user's place in a firm: role plus single-permission grants and revokes."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ADVISER)
    granted = models.JSONField(default=list, blank=True)
    revoked = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    weekly_hours = models.DecimalField(
        _("weekly hours available"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(80)],
        help_text=_("Hours a week for casework, for the Workload page (SPEC I13)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["Membership"]] = scoped(
        models.Manager["Membership"]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["firm", "user"], name="membership_unique")
        ]
        indexes = [models.Index(fields=["user", "is_active"], name="membership_user")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return reverse("firms:member_edit", kwargs={"membership_id": self.pk})

    @property
    def permissions(self) -> frozenset[str]:
        """Return the role's permissions plus grants, minus revokes."""
        cached: frozenset[str] | None = getattr(self, "_perm_cache", None)
        if cached is None:
            base = ROLE_PERMISSIONS.get(self.role, frozenset())
            cached = (base | set(self.granted)) - set(self.revoked)
            self._perm_cache = cached
        return cached

    def has_perm(self, perm: Perm | str) -> bool:
        """Return whether this member holds ``perm``."""
        return self.is_active and str(perm) in self.permissions


class ReferenceModel(FirmOwnedModel):
    """Base of the firm's reference rows: archived (``is_active``), never deleted.

    Branches, introducers and the name-only lists here, and the lists of higher
    apps (``crm.support``'s pathways), share the services in
    ``crm.firms.services.lookups`` through it.
    """

    is_active = models.BooleanField(default=True)

    class Meta:
        abstract = True


class Branch(ReferenceModel):
    """One of the firm's own offices (SPEC A5)."""

    name = models.CharField(max_length=120)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)

    objects: ClassVar[models.Manager["Branch"]] = scoped(models.Manager["Branch"])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "branches"
        indexes = [models.Index(fields=["firm", "name"], name="branch_firm_name")]

    def __str__(self) -> str:
        return self.name


class Introducer(ReferenceModel):
    """An introducer firm, such as an estate agent, that refers clients (A5)."""

    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)

    objects: ClassVar[models.Manager["Introducer"]] = scoped(
        models.Manager["Introducer"]
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["firm", "name"], name="introducer_firm_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("firms:introducer_detail", kwargs={"introducer_id": self.pk})


class IntroducerBranch(ReferenceModel):
    """A branch (office) of an introducer firm."""

    introducer = models.ForeignKey(
        Introducer, on_delete=models.CASCADE, related_name="branches"
    )
    name = models.CharField(max_length=120)
    phone = models.CharField(max_length=40, blank=True)

    objects: ClassVar[models.Manager["IntroducerBranch"]] = scoped(
        models.Manager["IntroducerBranch"]
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "introducer branches"
        indexes = [
            models.Index(
                fields=["firm", "introducer", "name"], name="intro_branch_firm"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Negotiator(ReferenceModel):
    """A person at an introducer's branch who passes on clients."""

    branch = models.ForeignKey(
        IntroducerBranch, on_delete=models.CASCADE, related_name="negotiators"
    )
    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)

    objects: ClassVar[models.Manager["Negotiator"]] = scoped(
        models.Manager["Negotiator"]
    )

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["firm", "branch", "name"], name="negotiator_firm")
        ]

    def __str__(self) -> str:
        return self.name


class InteractionType(ReferenceModel):
    """A kind of interaction the firm logs: phone call, home visit, e-mail..."""

    name = models.CharField(max_length=60)

    objects: ClassVar[models.Manager["InteractionType"]] = scoped(
        models.Manager["InteractionType"]
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "firm", Lower("name"), name="interaction_type_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class TaskCategory(ReferenceModel):
    """A category the firm sorts tasks by."""

    name = models.CharField(max_length=60)

    objects: ClassVar[models.Manager["TaskCategory"]] = scoped(
        models.Manager["TaskCategory"]
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "task categories"
        constraints = [
            models.UniqueConstraint(
                "firm", Lower("name"), name="task_category_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Invitation(FirmOwnedModel):
    """An invitation for someone to join the firm as a member (SPEC A6).

    Only a hash of the token is stored; the token itself travels in the e-mail.
    """

    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager["Invitation"]] = scoped(
        models.Manager["Invitation"]
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["firm", "email"], name="invitation_firm")]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @property
    def is_pending(self) -> bool:
        """Return whether the invitation can still be accepted."""
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
