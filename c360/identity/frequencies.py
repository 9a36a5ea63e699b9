"""Term frequencies: how common each value of a term-frequency column is, carried by every profile.

For each column a level declares as `tf_column`, a profile gets its value's share among all profiles
(`<column>_share_all`) and among the profiles of its country (`<column>_share_country`), and the
chance that two random profiles agree on the column (`<column>_agreement_all`: the sum of squared
shares). Columns records swap (given and family name, `Specification.tf_interchangeable`) take a
value's larger share of the two: Bernard held as a given name by the swapped records of Patrick
Bernards is as common as the surname. The share is that of the *other* holders of the value: two
compared records holding it are not chance, so a value only one person holds counts as a rare one
(one other holder) rather than as a certain one. Holders are profiles, or for the columns of
`Specification.tf_holders` the distinct values of another column (an e-mail's holders are the names
using it: a person's many record variants count once, an office's hundred users a hundred).
Names go with countries (Gráinne Murray is rare in Britain, common in Ireland), and the address
comparison already counts a shared country: within a country the country's shares are used.
"""

from __future__ import annotations

from collections.abc import Mapping

from c360.identity.specification import Specification


def share_columns(spec: Specification) -> list[str]:
    return [name for column in spec.tf_columns()
            for name in (f"{column}_share_all", f"{column}_share_country", f"{column}_agreement_all")]


def share_input_columns(spec: Specification) -> list[str]:
    """The profile columns `with_shares_sql` reads when it is given the share tables."""
    return ["country_code", *spec.tf_columns()]


def shares_sql(spec: Specification, column: str, profiles: str) -> str:
    """The values of one term-frequency column: (country, value, value_share, agreement), country '*'
    for all profiles."""
    holders = f"count(distinct {spec.tf_holders[column]})" if column in spec.tf_holders else "count(*)"
    return f"""
    select
        country,
        value,
        greatest(holders - 2, 1) / population as value_share,
        sum(holders * holders) over (partition by country) / (population * population) as agreement
    from (
        select
            country,
            value,
            holders,
            sum(holders) over (partition by country) as population
        from (
            select '*' as country, cast({column} as varchar) as value, {holders} as holders
            from {profiles}
            where {column} is not null and not is_test_account
            group by cast({column} as varchar)
            union all
            select country_code as country, cast({column} as varchar) as value, {holders} as holders
            from {profiles}
            where {column} is not null and not is_test_account and country_code is not null
            group by country_code, cast({column} as varchar)
        )
    )"""


def with_shares_sql(spec: Specification, profiles: str, share_tables: Mapping[str, str]) -> str:
    """`profiles` with every term-frequency column's shares and agreement chances, read from
    `share_tables` (column -> a relation of `shares_sql`'s rows): counted among the profiles themselves
    in the batch, the published population's in the real-time service."""
    ctes, selected, joins = [], [], []
    for column in spec.tf_columns():
        ctes.append(f"\n{column}_shares as (select * from {share_tables[column]})")
        partner = spec.tf_interchangeable.get(column)
        for scope, on in (("all", "'*'"), ("country", "profiles.country_code")):
            share = f"{column}_{scope}.value_share"
            joins.append(f"left join {column}_shares as {column}_{scope} "
                         f"on cast(profiles.{column} as varchar) = {column}_{scope}.value "
                         f"and {column}_{scope}.country = {on}")
            if partner:  # the value as the partner column holds it: records swap the two
                share = f"greatest({share}, {column}_as_{partner}_{scope}.value_share)"
                joins.append(f"left join {partner}_shares as {column}_as_{partner}_{scope} "
                             f"on cast(profiles.{column} as varchar) = {column}_as_{partner}_{scope}.value "
                             f"and {column}_as_{partner}_{scope}.country = {on}")
            selected.append(f"{share} as {column}_share_{scope}")
        selected.append(f"{column}_all.agreement as {column}_agreement_all")
    if not ctes:
        return f"select * from {profiles}"
    return (f"with\n\nprofiles as (select * from {profiles}),\n" + ",\n".join(ctes)
            + f"\n\nselect\n    profiles.*,\n    {', '.join(selected)}\nfrom profiles\n" + "\n".join(joins) + "\n")
