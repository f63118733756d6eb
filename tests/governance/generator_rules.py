"""The rules the Kubernetes community generator (kubernetes/community generator/app.go,
`Context.Validate()`) checks a sigs.yaml against, restated for the tests: a document Agora
writes must pass them, or `make generate` in a community's repository refuses it.

- each group's dir is "<prefix>-<name in lower case, spaces as hyphens>" (prefix sig, wg, ug,
  committee) and its label is that dir without the prefix;
- a person (by GitHub handle) has one name and, outside the emeritus lists, one company across
  the leadership lists; an emeritus lead has no company;
- only working groups have stakeholder SIGs, which must be SIG names; a working group must
  have some;
- a SIG has a charter link, a mission statement and at least one subproject;
- only SIGs and committees have subprojects;
- a subproject has owners, each a github.com blob/tree or raw.githubusercontent.com URL.
"""

import re

PREFIXES = {"sigs": "sig", "workinggroups": "wg", "usergroups": "ug", "committees": "committee"}
RAW_GITHUB = re.compile(r"https://raw.githubusercontent.com/[^/]+/[^/]+/[^/]+/.*")
GITHUB = re.compile(r"https://github.com/[^/]+/[^/]+/(blob|tree)/[^/]+/.*")


def _dir(prefix: str, name: str) -> str:
    return f"{prefix}-{name.replace(' ', '-').lower()}"


def violations(document: dict) -> list[str]:
    """Every rule a sigs.yaml document (as parsed) breaks, one message each."""
    found = []
    people: dict[str, dict] = {}
    sig_names = {group.get("name") for group in document.get("sigs") or []}
    for section, prefix in PREFIXES.items():
        for group in document.get(section) or []:
            name, directory = group.get("name", ""), group.get("dir", "")
            expected = _dir(prefix, name)
            if directory != expected:
                found.append(f"expected dir: {expected}, got: {directory}")
            label = expected.replace(f"{prefix}-", "", 1)
            if group.get("label", "") != label:
                found.append(f"{directory}: expected label: {label}, got: {group.get('label')}")
            leadership = group.get("leadership") or {}
            for key in ("chairs", "tech_leads", "emeritus_leads"):
                for person in leadership.get(key) or []:
                    found += _person_rule(directory, key, person, people)
            stakeholders = group.get("stakeholder_sigs") or []
            if stakeholders and prefix != "wg":
                found.append(f"{directory}: only WGs may have stakeholder_sigs")
            if prefix == "wg" and not stakeholders:
                found.append(f"{directory}: WGs must have stakeholder_sigs")
            found += [
                f"{directory}: invalid stakeholder sig name {sig}"
                for sig in stakeholders
                if prefix == "wg" and sig not in sig_names
            ]
            subprojects = group.get("subprojects") or []
            if prefix == "sig":
                if not group.get("charter_link"):
                    found.append(f"{directory}: has no charter")
                if not group.get("mission_statement"):
                    found.append(f"{directory}: has no mission statement")
                if not subprojects:
                    found.append(f"{directory}: has no subprojects")
            elif prefix != "committee" and subprojects:
                found.append(f"{directory}: only sigs and committees can have subprojects")
            for subproject in subprojects:
                owners = subproject.get("owners") or []
                if not owners:
                    found.append(f"{directory}/{subproject.get('name')}: subproject has no owners")
                found += [
                    f"{directory}/{subproject.get('name')}: owners URL {url} is not GitHub's"
                    for url in owners
                    if not (RAW_GITHUB.match(url) or GITHUB.match(url))
                ]
    return found


def _person_rule(directory: str, key: str, person: dict, people: dict[str, dict]) -> list[str]:
    found = []
    handle = person.get("github", "")
    emeritus = key == "emeritus_leads"
    seen = people.get(handle)
    if seen is not None:
        if seen.get("name", "") != person.get("name", "") or (
            not emeritus and seen.get("company", "") != person.get("company", "")
        ):
            found.append(f"{directory}: {key}: expected person {seen}, got {person}")
    elif not emeritus:
        people[handle] = person
    if emeritus and person.get("company"):
        found.append(f"{directory}: emeritus leads have no company; {handle} has one")
    return found
