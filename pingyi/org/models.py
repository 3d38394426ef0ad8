from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from pingyi.core.citizen_id import mask_id_number, mask_phone

if TYPE_CHECKING:
    from collections.abc import Iterable


class OrgType(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    DISTRICT = "district", _("区委")
    PARTY_GROUP = "party_group", _("党组")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    GROUP = "group", _("党小组")
    OFFICE = "office", _("股室")
    UNIT = "unit", _("下属单位")
    SUPERVISION_GROUP = "supervision_group", _("督导组")
    CAMPAIGN_OFFICE = "campaign_office", _("保先办")
    LIAISON_POINT = "liaison_point", _("挂钩联系点")
    VILLAGE = "village", _("结对村")


def under(*roots: OrgUnit | str, via: str = "org") -> Q:
    """Rows whose node lies in any of these subtrees: the one spelling of a tree query.

    `roots` are nodes or their paths; `via` is the lookup from the row to its node ("org",
    "author__org", "round__org"; "" for OrgUnit itself). No roots matches nothing.
    """
    lookup = f"{via}__path__startswith" if via else "path__startswith"
    q = Q(pk__in=[])
    for root in roots:
        q |= Q(**{lookup: root if isinstance(root, str) else root.path})
    return q


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
    def in_subtree(self, root: OrgUnit) -> OrgUnitQuerySet:
        return self.filter(under(root, via=""))

    def in_any_subtree(self, roots: Iterable[OrgUnit | str]) -> OrgUnitQuerySet:
        return self.filter(under(*roots, via=""))


class OrgUnit(models.Model):
    """A node of the organisation tree.

    `path` is the materialised path of ids ("/1/4/9/"): a subtree is one
    indexed prefix query, and moving a subtree is one UPDATE (docs/adr/0001).
    """

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级")
    )
    type = models.CharField(_("类型"), max_length=20, choices=OrgType.choices)
    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    path = models.CharField(max_length=255, editable=False, db_index=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["path"]
        indexes = [models.Index(fields=["path"], name="org_path_prefix", opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return self.name

    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]

    def ancestors(self) -> models.QuerySet[OrgUnit]:
        return OrgUnit.objects.filter(pk__in=self.ancestor_ids()).order_by("depth")

    def is_within(self, root: OrgUnit) -> bool:
        return self.path.startswith(root.path)


class OrgUnitChange(models.Model):
    """History of a node: created, renamed, moved."""

    class Kind(models.TextChoices):
        CREATED = "created", _("新建")
        RENAMED = "renamed", _("更名")
        MOVED = "moved", _("调整隶属")

    org = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    old_name = models.CharField(max_length=100, blank=True)
    new_name = models.CharField(max_length=100, blank=True)
    old_parent = models.ForeignKey(OrgUnit, null=True, on_delete=models.SET_NULL, related_name="+")
    new_parent = models.ForeignKey(OrgUnit, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("组织变更记录")
        verbose_name_plural = _("组织变更记录")

    def __str__(self) -> str:
        return f"{self.org} {self.get_kind_display()}"


class PersonKind(models.TextChoices):
    MEMBER = "member", _("党员")
    STAFF = "staff", _("非党员干部职工")
    CONTACT = "contact", _("外部联系人")


class MemberCategory(models.TextChoices):
    FORMAL = "formal", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class MemberStatus(models.TextChoices):
    SERVING = "serving", _("在职")
    RETIRED = "retired", _("退休")
    AWAY = "away", _("外出")
    LEFT_POST = "left_post", _("离岗退养")


class ContactType(models.TextChoices):
    EMPLOYER = "employer", _("用人单位")
    AGENCY = "agency", _("机关单位")
    VILLAGE = "village", _("村民代表")
    SERVICE_USER = "service_user", _("服务对象")


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class PersonQuerySet(models.QuerySet["Person"]):
    def in_subtree(self, root: OrgUnit) -> PersonQuerySet:
        return self.filter(under(root))

    def members(self) -> PersonQuerySet:
        return self.filter(kind=PersonKind.MEMBER)

    def with_post_flags(self) -> models.QuerySet[Any]:  # Any: django-stubs cannot see the annotations
        """Annotate is_leader / is_committee: holding a post so flagged, on whichever node it sits."""
        posts = Post.objects.filter(person=OuterRef("pk"))
        return self.annotate(
            is_leader=Exists(posts.filter(is_leadership=True)), is_committee=Exists(posts.filter(is_committee=True))
        )


class Person(models.Model):
    kind = models.CharField(_("人员类型"), max_length=10, choices=PersonKind.choices, default=PersonKind.MEMBER)
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_number = models.CharField(_("公民身份号码"), max_length=18, null=True, blank=True, unique=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="people", verbose_name=_("所在组织"))
    group = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_people",
        verbose_name=_("党小组/科室"),
    )
    category = models.CharField(_("人员类别"), max_length=12, choices=MemberCategory.choices, blank=True)
    status = models.CharField(_("人员状态"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.SERVING)
    joined_on = models.DateField(_("入党日期"), null=True, blank=True)
    confirmed_on = models.DateField(_("转正日期"), null=True, blank=True)
    contact_type = models.CharField(_("联系人类别"), max_length=12, choices=ContactType.choices, blank=True)
    affiliation = models.CharField(_("单位"), max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["org__path", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=PersonKind.MEMBER) | Q(category=""), name="person_category_only_for_members"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number or "")

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


def person_of(user: Any, *, member_only: bool) -> Person | None:
    """The person record behind a login, with its node: the one way to ask "who is this user?".

    `member_only=True` answers only for a party member (the member role, writing, voting);
    otherwise staff and outside contacts with a login count too. None for an anonymous visitor
    or a login that belongs to no person. Annotated with the post flags (`is_leader`, `is_committee`).
    """
    if not getattr(user, "is_authenticated", False):
        return None
    # Kept on the user object, as the grants are (org.permissions.grants_for): a request's user is loaded
    # for that request, and a page's home cards, permissions and selectors all ask who the user is.
    known: dict[bool, Person | None] = user.__dict__.setdefault("_pingyi_person", {})
    if member_only not in known:
        people = Person.objects.filter(user_id=user.pk).select_related("org")
        known[member_only] = (people.members() if member_only else people).with_post_flags().first()
    return known[member_only]


class Post(models.Model):
    """A post a person holds; a bureau leader may also sit on the branch committee."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="posts")
    org = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="posts", verbose_name=_("组织"))
    title = models.CharField(_("职务"), max_length=50)
    is_leadership = models.BooleanField(_("领导班子成员"), default=False)
    is_committee = models.BooleanField(_("支委会成员"), default=False)

    class Meta:
        verbose_name = _("职务")
        verbose_name_plural = _("职务")
        constraints = [models.UniqueConstraint(fields=["person", "org", "title"], name="post_unique_per_person_org")]

    def __str__(self) -> str:
        return f"{self.org} {self.title}"


class Role(models.TextChoices):
    SECRETARY = "secretary", _("支部书记")
    COMMITTEE = "committee", _("支委委员")
    OFFICE = "office", _("保先办工作人员")
    SUPERVISOR = "supervisor", _("督导组成员")
    MEMBER = "member", _("党员")


class RoleGrant(models.Model):
    """A role held on a node; it reaches the node's whole subtree."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    org = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("组织"))
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [models.UniqueConstraint(fields=["user", "org", "role"], name="role_grant_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} @ {self.org}"


class RosterUpload(models.Model):
    """An uploaded roster from its column mapping through its check to its commit; kept afterwards as the
    record of the import. The file itself (and the row errors, which quote it) is erased after the
    retention period (roster/retention.py); the counts stay."""

    class Status(models.TextChoices):
        MAPPING = "mapping", _("待确认列")
        CHECKING = "checking", _("检查中")
        CHECKED = "checked", _("待确认")
        QUEUED = "queued", _("导入中")
        COMMITTED = "committed", _("已导入")

    org = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="roster_uploads", verbose_name=_("组织"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    filename = models.CharField(_("文件名"), max_length=255)
    # The bytes live in the database so a Celery worker on another host can read them.
    content = models.BinaryField()
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.MAPPING)
    # {"header_row": n, "columns": [{"index", "header", "field", "how", "note"}]}: which column holds what.
    mapping = models.JSONField(_("列的对应关系"), default=dict, blank=True)
    report = models.JSONField(_("检查结果"), default=dict, blank=True)
    result = models.JSONField(_("导入结果"), default=dict, blank=True)
    skip_invalid = models.BooleanField(_("跳过错误行"), default=False)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    purged_at = models.DateTimeField(_("文件删除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("名册导入")
        verbose_name_plural = _("名册导入")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def error_count(self) -> int:
        return int(self.report.get("error_count", len(self.report.get("errors", []))))


class OneTimePassword(models.Model):
    """A login's password was generated for it (a new login, a reset): it must be replaced at the first
    sign-in and stops working at `expires_at`. The row goes when its owner sets a password of their own."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="one_time_password")
    issued_at = models.DateTimeField(_("生成时间"))
    expires_at = models.DateTimeField(_("失效时间"))

    class Meta:
        verbose_name = _("初始密码")
        verbose_name_plural = _("初始密码")

    def __str__(self) -> str:
        return f"{self.user} → {self.expires_at:%Y-%m-%d}"


class RosterLayout(models.Model):
    """How a node's rosters of one layout (the same header row) map onto fields, as last confirmed there."""

    org = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("组织"))
    fingerprint = models.CharField(max_length=40)
    headers = models.JSONField(_("列名"), default=list)
    # {"<column number>": "<field>" or "" (not imported)}
    columns = models.JSONField(_("列的对应关系"), default=dict)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("名册格式")
        verbose_name_plural = _("名册格式")
        constraints = [models.UniqueConstraint(fields=["org", "fingerprint"], name="roster_layout_once_per_org")]

    def __str__(self) -> str:
        return "、".join(self.headers)
