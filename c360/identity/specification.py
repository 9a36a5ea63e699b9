"""The identity model's specification: each comparison, blocking rule and training session, declared once.

Every reader derives from these declarations: the SQL that compares two profiles (one `case`
per comparison), the weights estimation (levels per comparison, sessions, which levels are
counted on all pairs), the scoring (term-frequency columns), the evidence mart and the
dashboard (level labels, `int_comparison_levels`). Conditions are SQL over two profiles
written `{a}` and `{b}` (the aliases are filled in by whoever compares).

Levels are declared strongest first. A pair takes the first level whose condition holds; the
last (implicit) level is 0, the comparison's `else_label`. Levels are numbered from there: the
strongest declared level has the highest number. A `neutral` level is no evidence either way:
the comparison yields null there, as when either profile lacks the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Level:
    label: str
    condition: str
    neutral: bool = False
    # term-frequency adjusted on this profile column: a common value (Smith, an office's
    # address) counts for less than a rare one
    tf_column: str | None = None
    # every pair at this level shares the keys of this blocking rule, so its non-matches can be
    # counted on all pairs instead of sampled (the random sample never sees a rate this small)
    counted_by_rule: str | None = None


@dataclass(frozen=True)
class Comparison:
    name: str
    description: str
    missing: str  # true when either profile lacks the field: null, no evidence
    levels: tuple[Level, ...]
    else_label: str = "different"
    # a person keeps this value for life (date of birth, a national id): clustering will not put
    # two profiles that contradict each other on it into one customer
    persistent: bool = False

    @property
    def scored_levels(self) -> list[Level]:
        """The levels that carry a weight, strongest first (neutral ones yield null)."""
        return [level for level in self.levels if not level.neutral]

    @property
    def level_count(self) -> int:
        """Levels with a weight, the else level (0) included."""
        return len(self.scored_levels) + 1

    def level_number(self, label: str) -> int:
        for number, level in self.numbered_levels():
            if level.label == label:
                return number
        raise KeyError(f"comparison {self.name!r} has no scored level {label!r}")

    def numbered_levels(self) -> list[tuple[int, Level]]:
        """(number, level) from the strongest down; 0 is the else level (returned as a Level too)."""
        scored = self.scored_levels
        numbered = [(len(scored) - index, level) for index, level in enumerate(scored)]
        return [*numbered, (0, Level(self.else_label, "true"))]

    def labels(self) -> dict[int, str]:
        return {number: level.label for number, level in self.numbered_levels()}

    def case_sql(self, a: str, b: str) -> str:
        """The comparison's level for profiles `a` and `b` (relation aliases) as a SQL expression."""
        numbers = {id(level): number for number, level in self.numbered_levels()}
        whens = [f"when {fill(self.missing, a, b)} then null"]
        for level in self.levels:
            outcome = "null" if level.neutral else str(numbers[id(level)])
            whens.append(f"when {fill(level.condition, a, b)} then {outcome}")
        body = "\n        ".join(whens)
        return f"case\n        {body}\n        else 0\n    end"

    def columns(self) -> set[str]:
        """The profile columns the comparison reads."""
        text = " ".join([self.missing, *(level.condition for level in self.levels)])
        found = set(re.findall(r"\{[ab]\}\.([a-z_][a-z0-9_]*)", text))
        return found | {level.tf_column for level in self.levels if level.tf_column}


@dataclass(frozen=True)
class BlockingRule:
    """Profiles equal on every key are paired. A list key pairs profiles sharing any element."""

    name: str
    keys: tuple[str, ...]
    is_list: bool = False
    # a rule that looks at nothing but names: its pairs are compared only when the contact details
    # do not contradict each other or something beyond the name agrees (namesakes are most pairs)
    name_only: bool = False


@dataclass(frozen=True)
class TrainingSession:
    """m estimated by EM on the pairs one blocking rule finds, with the comparisons it blocks on
    held out (they agree by construction). `sampled`: the rule's pairs are pruned of namesakes,
    so the session reads the sample of blocks kept whole."""

    rule: str
    held_out: tuple[str, ...]
    sampled: bool = False


@dataclass(frozen=True)
class ConditionalU:
    """Evidence that is not independent among different people: families share a surname and an
    address; namesakes type the same name-made e-mail. Between two profiles at the strongest level
    of every `given` comparison, `comparison`'s u is taken among random pairs of profiles equal on
    `within` (namesakes), not among all pairs."""

    comparison: str
    given: tuple[str, ...]
    within: str

    @property
    def label(self) -> str:
        return ",".join(self.given)


@dataclass(frozen=True)
class Specification:
    comparisons: tuple[Comparison, ...]
    blocking_rules: tuple[BlockingRule, ...]
    training_sessions: tuple[TrainingSession, ...]
    # How the holders of a value are counted for its term frequency: profiles, or for these
    # columns the distinct values of another (an e-mail's holders are the names using it, so a
    # person's many record variants count once and an office's hundred users count a hundred).
    tf_holders: Mapping[str, str] = field(default_factory=dict)
    # Term-frequency columns whose values records swap (given and family name): a value's share is
    # the larger of its shares in either column.
    tf_interchangeable: Mapping[str, str] = field(default_factory=dict)
    conditional_u: tuple[ConditionalU, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        names = [comparison.name for comparison in self.comparisons]
        rules = [rule.name for rule in self.blocking_rules]
        for session in self.training_sessions:
            if session.rule not in rules:
                raise ValueError(f"training session on unknown blocking rule {session.rule!r}")
            unknown = set(session.held_out) - set(names)
            if unknown:
                raise ValueError(f"training session {session.rule!r} holds out unknown comparisons {unknown}")
        for comparison in self.comparisons:
            for level in comparison.levels:
                if level.counted_by_rule and level.counted_by_rule not in rules:
                    raise ValueError(f"{comparison.name}: level {level.label!r} counted by unknown rule "
                                     f"{level.counted_by_rule!r}")
        for conditional in self.conditional_u:
            unknown = {conditional.comparison, *conditional.given} - set(names)
            if unknown:
                raise ValueError(f"conditional u on unknown comparisons {unknown}")
        conditioned = [conditional.comparison for conditional in self.conditional_u]
        if len(conditioned) != len(set(conditioned)):
            raise ValueError("at most one conditional u per comparison")
        if len(self.blocking_rules) > 31:
            raise ValueError("at most 31 blocking rules: a pair's rules are bits of one integer")

    def comparison(self, name: str) -> Comparison:
        for comparison in self.comparisons:
            if comparison.name == name:
                return comparison
        raise KeyError(name)

    def rule_bit(self, name: str) -> int:
        return 1 << [rule.name for rule in self.blocking_rules].index(name)

    def name_only_mask(self) -> int:
        return sum(self.rule_bit(rule.name) for rule in self.blocking_rules if rule.name_only)

    def comparison_columns(self) -> list[str]:
        return sorted(set().union(*(comparison.columns() for comparison in self.comparisons)))

    def tf_columns(self) -> list[str]:
        return sorted({level.tf_column for comparison in self.comparisons for level in comparison.levels
                       if level.tf_column})


def fill(condition: str, a: str, b: str) -> str:
    return condition.replace("{a}", a).replace("{b}", b)
