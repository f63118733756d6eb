"""Writes to projects, releases and proposals: validated, atomic, each rule in one place."""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from governance.models import Group, Person
from projects.models import (
    APIVersion,
    Feature,
    FeatureGate,
    FeatureStatus,
    MaturityStep,
    Project,
    ProjectArea,
    ProjectChannel,
    ProjectGroup,
    Proposal,
    ProposalPerson,
    Release,
    TieIn,
)

Role = ProposalPerson.Role


def _save(instance, fields: Mapping[str, Any] | None = None):
    """Set `fields` on `instance`, validate it with its model's messages, save it."""
    for name, value in (fields or {}).items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def area_create(*, slug: str, name: str, position: int = 0, description: str = "") -> ProjectArea:
    return _save(ProjectArea(slug=slug, name=name, position=position, description=description))


@transaction.atomic
def area_update(*, area: ProjectArea, **fields: Any) -> ProjectArea:
    return _save(area, fields)


@transaction.atomic
def project_create(*, slug: str, name: str, area: ProjectArea, **fields: Any) -> Project:
    return _save(Project(slug=slug, name=name, area=area), fields)


@transaction.atomic
def project_update(*, project: Project, **fields: Any) -> Project:
    return _save(project, fields)


@transaction.atomic
def project_link_group(*, project: Project, group: Group, relation: str) -> ProjectGroup:
    """Link `group` to `project` as owner or related group (changing an existing link)."""
    link = ProjectGroup.objects.filter(project=project, group=group).first()
    return _save(link or ProjectGroup(project=project, group=group), {"relation": relation})


@transaction.atomic
def maturity_step_add(
    *, project: Project, steward: str, level: str, date: datetime.date, decision_url: str = ""
) -> MaturityStep:
    step = MaturityStep(
        project=project, steward=steward, level=level, date=date, decision_url=decision_url
    )
    return _save(step)


@transaction.atomic
def api_version_add(*, project: Project, api: str, version: str) -> APIVersion:
    return _save(APIVersion(project=project, api=api, version=version))


@transaction.atomic
def channel_add(
    *, project: Project, kind: str, name: str, url: str, is_private: bool = False
) -> ProjectChannel:
    channel = ProjectChannel(project=project, kind=kind, name=name, url=url, is_private=is_private)
    return _save(channel)


@transaction.atomic
def tie_in_add(*, project: Project, label: str, url: str, position: int = 0) -> TieIn:
    return _save(TieIn(project=project, label=label, url=url, position=position))


@transaction.atomic
def release_create(*, project: Project, version: str, **dates: datetime.date | None) -> Release:
    return _save(Release(project=project, version=version), dates)


@transaction.atomic
def release_update(*, release: Release, **fields: Any) -> Release:
    return _save(release, fields)


@transaction.atomic
def feature_create(
    *, project: Project, name: str, description: str = "", position: int = 0
) -> Feature:
    return _save(Feature(project=project, name=name, description=description, position=position))


@transaction.atomic
def feature_status_set(
    *,
    feature: Feature,
    release: Release,
    supported: bool,
    pull_requests: Sequence[str] = (),
    note: str = "",
) -> FeatureStatus:
    """Record whether `feature` works in `release` (replacing what was recorded)."""
    status = FeatureStatus.objects.filter(feature=feature, release=release).first()
    fields = {"supported": supported, "pull_requests": list(pull_requests), "note": note}
    return _save(status or FeatureStatus(feature=feature, release=release), fields)


def _unique(people: Iterable[Person]) -> list[Person]:
    """`people` without repeats, in order: a file may name an author twice."""
    seen: dict[int, Person] = {}
    for person in people:
        seen.setdefault(person.pk, person)
    return list(seen.values())


@dataclass(frozen=True)
class ProposalLinks:
    """Who and what a proposal is linked to. A link left None stays as it is on an update
    (and empty on a creation); a given one replaces what was there."""

    participating_groups: Sequence[Group] | None = None
    authors: Sequence[Person] | None = None
    reviewers: Sequence[Person] | None = None
    approvers: Sequence[Person] | None = None
    prr_approvers: Mapping[str, Person] | None = None  # {stage: approver}
    feature_gates: Mapping[str, Sequence[str]] | None = None  # {gate: components}
    replaces: Sequence[Proposal] | None = None


def _set_links(proposal: Proposal, links: ProposalLinks):
    if links.participating_groups is not None:
        proposal.participating_groups.set(links.participating_groups)
    if links.replaces is not None:
        proposal.replaces.set(links.replaces)
    people_by_role: list[tuple[str, list[tuple[str, Person]]]] = [
        (role, [("", person) for person in _unique(people)])
        for role, people in [
            (Role.AUTHOR, links.authors),
            (Role.REVIEWER, links.reviewers),
            (Role.APPROVER, links.approvers),
        ]
        if people is not None
    ]
    if links.prr_approvers is not None:
        people_by_role.append((Role.PRR_APPROVER, list(links.prr_approvers.items())))
    for role, entries in people_by_role:
        proposal.participants.filter(role=role).delete()
        for position, (stage, person) in enumerate(entries):
            link = ProposalPerson(
                proposal=proposal, person=person, role=role, stage=stage, position=position
            )
            _save(link)
    if links.feature_gates is not None:
        proposal.feature_gates.exclude(name__in=list(links.feature_gates)).delete()
        for name, components in links.feature_gates.items():
            gate = FeatureGate.objects.filter(proposal=proposal, name=name).first()
            gate = gate or FeatureGate(proposal=proposal, name=name)
            _save(gate, {"components": list(components)})


@transaction.atomic
def proposal_create(
    *,
    project: Project,
    title: str,
    number: int | None = None,
    links: ProposalLinks = ProposalLinks(),
    **fields: Any,
) -> Proposal:
    """Create a proposal that follows every editing rule; a broken rule raises its message."""
    proposal = Proposal(project=project, title=title, number=number)
    proposal.slug = fields.pop("slug", "") or slugify(f"{number or ''} {title}")[:200]
    _save(proposal, fields)
    _set_links(proposal, links)
    return proposal


@transaction.atomic
def proposal_update(
    *, proposal: Proposal, links: ProposalLinks = ProposalLinks(), **fields: Any
) -> Proposal:
    """Change a proposal; the editing rules apply."""
    _save(proposal, fields)
    _set_links(proposal, links)
    return proposal


@transaction.atomic
def proposal_import(
    *,
    project: Project,
    source_path: str,
    title: str,
    number: int | None,
    slug: str,
    problems: Sequence[str] = (),
    links: ProposalLinks = ProposalLinks(),
    **fields: Any,
) -> Proposal:
    """Create or refresh the proposal read from `source_path`, keeping it even when it breaks
    an editing rule: each broken rule, and each of the reader's `problems`, becomes a flag.

    A value the database cannot hold (a malformed URL, a title too long) raises
    ValidationError and nothing of the file is saved.
    """
    proposal = Proposal.objects.filter(project=project, source_path=source_path).first()
    proposal = proposal or Proposal(project=project, source_path=source_path)
    flags = list(problems)
    if number is not None:
        holder = (
            Proposal.objects.filter(project=project, number=number).exclude(pk=proposal.pk).first()
        )
        if holder is not None:
            where = holder.source_path or holder.get_absolute_url()
            flags.append(f"Number {number} is also used by {where}; kept without a number.")
            number = None
    for name, value in {"title": title, "number": number, "slug": slug, **fields}.items():
        setattr(proposal, name, value)
    proposal.clean_fields(exclude=["flags"])
    proposal.validate_unique()
    proposal.validate_constraints()
    flags.extend(proposal.rule_violations().values())
    proposal.flags = flags
    proposal.save()
    _set_links(proposal, links)
    return proposal


@transaction.atomic
def proposal_clear_flags(*, proposal: Proposal) -> Proposal:
    """Mark a flagged proposal reviewed: it must now follow every editing rule."""
    flags, proposal.flags = proposal.flags, []
    try:
        return _save(proposal)
    except ValidationError as error:
        proposal.flags = flags
        raise ValidationError(
            f"{proposal.label} still breaks a rule; fix it before clearing its flags: "
            + " ".join(message for messages in error.message_dict.values() for message in messages)
        ) from error
