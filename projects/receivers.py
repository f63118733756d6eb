"""Receivers of governance's signals: connected in ProjectsConfig.ready()."""

from governance.models import Group
from projects.models import Proposal, Stage


def annual_report_proposals(sender, *, group: Group, year: int, sections: list, **kwargs):
    """The annual report's "Enhancement proposals" section: the proposals the group owns, by
    the stage they are at now."""
    proposals = (
        Proposal.objects.filter(owning_group=group)
        .select_related("project")
        .order_by("number", "title")
    )
    by_stage: dict[str, list[Proposal]] = {}
    for proposal in proposals:
        by_stage.setdefault(proposal.stage, []).append(proposal)
    lines = []
    for stage, label in [*Stage.choices, ("", "No stage")]:
        for proposal in by_stage.get(stage, []):
            number = f"#{proposal.number} " if proposal.number else ""
            lines.append(f"* {label}: {number}{proposal.title} ({proposal.get_status_display()})")
    if lines:
        sections.append(("Enhancement proposals", "\n".join(lines)))
