"""A campaign template's YAML body, parsed and checked before anything is built from it.

The body looks like (see templates_data/*.yaml):

    code: advanced-nature-education      # only in shipped files; the row's own code wins
    name: 保持共产党员先进性教育活动
    stages:
      - code: study
        name: 学习动员
        days: 60
        work_items:
          - {code: attendance, name: 参加集中学习, rule: study.attendance, params: {min_sessions: 10}}
        lookback:
          - 缺课人员已逐一补课

Every name, hint, description and look-back line may carry its other languages beside it, under the
language's code (settings.LANGUAGES, the source language excepted): `en: {name: ..., hint: ...}` on a
template, stage or work item, and a look-back line as `{text: 缺课人员已逐一补课, en: Missed sessions made up}`.
Campaigns built from the template keep them (`translations` of the rows) and pages show the reader's language.

Errors are Chinese sentences naming the place in the file, for the admin form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Actors, Audience

SHIPPED_DIR = Path(__file__).resolve().parent / "templates_data"
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
TOP_KEYS = {"code", "name", "description", "stages"}
STAGE_KEYS = {"code", "name", "days", "work_items", "lookback"}
ITEM_KEYS = {"code", "name", "hint", "audience", "actors", "required", "rule", "params", "due_day"}
# What each level may say in another language.
TRANSLATED = {"template": ("name", "description"), "stage": ("name",), "item": ("name", "hint")}

Translations = dict[str, dict[str, str]]  # language code -> field -> text


def other_languages() -> list[str]:
    """The languages templates carry besides the source language (Chinese)."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


@dataclass(frozen=True)
class WorkItemSpec:
    code: str
    name: str
    audience: str
    actors: str = Actors.SELF
    required: bool = True
    rule: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    hint: str = ""
    due_day: int | None = None  # day of the stage (1 = its first day); the stage's last day when absent
    translations: Translations = field(default_factory=dict)


@dataclass(frozen=True)
class StageSpec:
    code: str
    name: str
    days: int
    work_items: list[WorkItemSpec]
    lookback: list[str]
    lookback_translations: list[dict[str, str]] = field(default_factory=list)  # per line: language -> text
    translations: Translations = field(default_factory=dict)


@dataclass(frozen=True)
class TemplateSpec:
    name: str
    stages: list[StageSpec]
    code: str = ""
    description: str = ""
    translations: Translations = field(default_factory=dict)


def parse_template(body: str) -> TemplateSpec:
    try:
        data = yaml.safe_load(body)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("第 %(line)d 行") % {"line": mark.line + 1} if mark else ""
        raise ValidationError(_("YAML 格式错误%(where)s：%(problem)s") % {"where": where, "problem": exc}) from exc
    if not isinstance(data, dict):
        raise ValidationError(_("模板内容应是一个包含 name 和 stages 的映射。"))
    _no_unknown(data, TOP_KEYS | set(other_languages()), _("模板"))
    name = _text(data, "name", _("模板"))
    stages_raw = data.get("stages")
    if not isinstance(stages_raw, list) or not stages_raw:
        raise ValidationError(_("模板至少要有一个阶段（stages）。"))
    stages = [_stage(raw, n) for n, raw in enumerate(stages_raw, start=1)]
    _unique([s.code for s in stages], _("阶段代码"))
    return TemplateSpec(
        name=name,
        stages=stages,
        code=str(data.get("code") or ""),
        description=str(data.get("description") or ""),
        translations=_translations(data, TRANSLATED["template"], _("模板")),
    )


def _stage(raw: Any, n: int) -> StageSpec:
    where = _("第 %(n)d 阶段") % {"n": n}
    if not isinstance(raw, dict):
        raise ValidationError(_("%(where)s应是一个映射。") % {"where": where})
    _no_unknown(raw, STAGE_KEYS | set(other_languages()), where)
    days = raw.get("days")
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise ValidationError(_("%(where)s的 days 应是正整数（阶段天数）。") % {"where": where})
    items_raw = raw.get("work_items") or []
    if not isinstance(items_raw, list):
        raise ValidationError(_("%(where)s的 work_items 应是列表。") % {"where": where})
    items = [_item(item, where, i, days) for i, item in enumerate(items_raw, start=1)]
    _unique([i.code for i in items], _("%(where)s的工作事项代码") % {"where": where})
    lookback, lookback_translations = _lookback(raw.get("lookback") or [], where)
    return StageSpec(
        code=_slug(raw, where),
        name=_text(raw, "name", where),
        days=days,
        work_items=items,
        lookback=lookback,
        lookback_translations=lookback_translations,
        translations=_translations(raw, TRANSLATED["stage"], where),
    )


def _lookback(raw: Any, where: str) -> tuple[list[str], list[dict[str, str]]]:
    """Each line is text, or {text: ..., <language>: ...}."""
    problem = _("%(where)s的 lookback（回头看检查项）应是非空的文字列表。") % {"where": where}
    if not isinstance(raw, list) or not raw:
        raise ValidationError(problem)
    texts, translations = [], []
    for line in raw:
        if isinstance(line, dict):
            _no_unknown(line, {"text"} | set(other_languages()), where)
            text = line.get("text")
            others = {lang: line[lang] for lang in other_languages() if lang in line}
        else:
            text, others = line, {}
        if not isinstance(text, str) or not text.strip() or not all(isinstance(v, str) for v in others.values()):
            raise ValidationError(problem)
        texts.append(text.strip())
        translations.append({lang: v.strip() for lang, v in others.items() if v.strip()})
    return texts, translations


def _translations(raw: dict, fields: tuple[str, ...], where: str) -> Translations:
    found: Translations = {}
    for lang in other_languages():
        given = raw.get(lang)
        if given is None:
            continue
        if not isinstance(given, dict) or not all(isinstance(v, str) for v in given.values()):
            raise ValidationError(_("%(where)s的 %(lang)s 应是映射，如 {name: ...}。") % {"where": where, "lang": lang})
        _no_unknown(given, set(fields), f"{where} {lang}")
        found[lang] = {k: v.strip() for k, v in given.items() if v.strip()}
    return found


def _item(raw: Any, stage_where: str, n: int, days: int) -> WorkItemSpec:
    where = _("%(stage)s第 %(n)d 项工作事项") % {"stage": stage_where, "n": n}
    if not isinstance(raw, dict):
        raise ValidationError(_("%(where)s应是一个映射。") % {"where": where})
    _no_unknown(raw, ITEM_KEYS | set(other_languages()), where)
    audience = raw.get("audience", Audience.MEMBERS.value)
    if audience not in Audience.values:
        raise ValidationError(
            _("%(where)s的 audience 只能是 %(choices)s。") % {"where": where, "choices": "、".join(Audience.values)}
        )
    actors = raw.get("actors", Actors.SELF.value)
    if actors not in Actors.values:
        raise ValidationError(
            _("%(where)s的 actors 只能是 %(choices)s。") % {"where": where, "choices": "、".join(Actors.values)}
        )
    if audience == Audience.BRANCH and actors == Actors.SELF:
        raise ValidationError(_("%(where)s针对整个组织，须写明由谁完成（actors）。") % {"where": where})
    params = raw.get("params") or {}
    if not isinstance(params, dict):
        raise ValidationError(_("%(where)s的 params 应是映射。") % {"where": where})
    due_day = raw.get("due_day")
    if due_day is not None and (not isinstance(due_day, int) or not 1 <= due_day <= days):
        raise ValidationError(_("%(where)s的 due_day 应在 1 到 %(days)d 之间。") % {"where": where, "days": days})
    required = raw.get("required", True)
    if not isinstance(required, bool):
        raise ValidationError(_("%(where)s的 required 应是 true 或 false。") % {"where": where})
    return WorkItemSpec(
        code=_slug(raw, where),
        name=_text(raw, "name", where),
        audience=audience,
        actors=actors,
        required=required,
        rule=str(raw.get("rule") or ""),
        params=params,
        hint=str(raw.get("hint") or ""),
        due_day=due_day,
        translations=_translations(raw, TRANSLATED["item"], where),
    )


def _text(raw: dict, key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(_("%(where)s缺少“%(key)s”。") % {"where": where, "key": key})
    return value.strip()


def _slug(raw: dict, where: str) -> str:
    code = _text(raw, "code", where)
    if not SLUG.match(code) or len(code) > 40:
        raise ValidationError(_("%(where)s的 code 只能用字母、数字、连字符，最长 40 个字符。") % {"where": where})
    return code


def _no_unknown(raw: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(str(k) for k in set(raw) - allowed)
    if unknown:
        raise ValidationError(_("%(where)s有无法识别的键：%(keys)s。") % {"where": where, "keys": "、".join(unknown)})


def _unique(codes: list[str], what: str) -> None:
    seen = {c for c in codes if codes.count(c) > 1}
    if seen:
        raise ValidationError(_("%(what)s重复：%(codes)s。") % {"what": what, "codes": "、".join(sorted(seen))})


def untranslated(spec: TemplateSpec) -> list[str]:
    """Every text of the template lacking one of the other languages, as "<language>: <text>"."""
    missing = []
    for lang in other_languages():
        pairs = [(getattr(spec, key), spec.translations.get(lang, {}).get(key)) for key in TRANSLATED["template"]]
        for stage in spec.stages:
            pairs.append((stage.name, stage.translations.get(lang, {}).get("name")))
            for item in stage.work_items:
                pairs += [(getattr(item, key), item.translations.get(lang, {}).get(key)) for key in TRANSLATED["item"]]
            lines = zip(stage.lookback, stage.lookback_translations, strict=True)
            pairs += [(text, others.get(lang)) for text, others in lines]
        missing += [f"{lang}: {text}" for text, translated in pairs if text and not translated]
    return missing


def shipped_templates() -> list[tuple[str, str, str]]:
    """(code, name, body) of every YAML file shipped with the app; each file must parse."""
    found = []
    for path in sorted(SHIPPED_DIR.glob("*.yaml")):
        body = path.read_text(encoding="utf-8")
        spec = parse_template(body)
        found.append((spec.code or path.stem.replace("_", "-"), spec.name, body))
    return found


def load_shipped_templates(model: Any, *, overwrite: bool = False) -> tuple[int, int]:
    """Create the shipped templates that are missing; with overwrite, also replace edited ones.

    Takes the model class so the data migration can pass its historical model.
    Returns (created, updated).
    """
    created = updated = 0
    for code, name, body in shipped_templates():
        row = model.objects.filter(code=code).first()
        if row is None:
            model.objects.create(code=code, name=name, body=body)
            created += 1
        elif overwrite and (row.name, row.body) != (name, body):
            row.name, row.body = name, body
            row.save(update_fields=["name", "body"])
            updated += 1
    return created, updated
