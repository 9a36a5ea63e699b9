"""The default identity model: generic comparisons that stand on any person data, and the
blocking rules and training sessions that go with them. One configuration for every data set.

Names, date of birth, address, e-mail, phone and declared identifiers are the generic core;
shop activity (an account, the orders a payment or ticket is about, the accounts a subscriber's
clicks signed in to) is an optional layer that is simply neutral where no record carries it.
"""

from __future__ import annotations

from c360.identity.specification import (
    BlockingRule,
    Comparison,
    ConditionalU,
    Level,
    Specification,
    TrainingSession,
)


def jaro_winkler(column: str, threshold: float) -> str:
    return f"jaro_winkler_similarity({{a}}.{column}, {{b}}.{column}) >= {threshold}"


def either_missing(*columns: str) -> str:
    sides = [f"coalesce({', '.join(f'{{{side}}}.{column}' for column in columns)}) is null" for side in "ab"]
    return " or ".join(sides)


FIRST_NAME_AGREES = "(list_has_any({a}.first_forms, {b}.first_forms) or " + jaro_winkler("first_key", 0.88) + ")"
NAMES_SWAPPED = "({a}.first_key = {b}.last_key and {a}.last_key = {b}.first_key)"
NAMES_SWAPPED_SIMILAR = ("(jaro_winkler_similarity({a}.first_key, {b}.last_key) >= 0.88"
                         " and jaro_winkler_similarity({a}.last_key, {b}.first_key) >= 0.88)")

FIRST_NAME = Comparison(
    name="first_name",
    description="Given name: the same, or given and family name swapped; a nickname of it or of the same "
                "full name (Bill, William; Peggy, Margaret); then Jaro-Winkler similarity bands and the same sound.",
    missing=either_missing("first_key"),
    levels=(
        Level("same name or swapped", f"{{a}}.first_key = {{b}}.first_key or {NAMES_SWAPPED}", tf_column="first_key"),
        Level("nickname of the same name", "list_has_any({a}.first_forms, {b}.first_forms)"),
        Level("very similar (Jaro-Winkler >= 0.92)", jaro_winkler("first_key", 0.92)),
        Level("similar (Jaro-Winkler >= 0.85), same sound, or swapped and similar",
              f"{jaro_winkler('first_key', 0.85)} or {{a}}.first_nysiis = {{b}}.first_nysiis"
              f" or {NAMES_SWAPPED_SIMILAR}"),
        Level("loosely similar (Jaro-Winkler >= 0.70)", jaro_winkler("first_key", 0.70)),
    ),
)

LAST_NAME = Comparison(
    name="last_name",
    description="Family name: exact or swapped with the given name; then Jaro-Winkler bands and the same sound.",
    missing=either_missing("last_key"),
    levels=(
        Level("same name or swapped", f"{{a}}.last_key = {{b}}.last_key or {NAMES_SWAPPED}", tf_column="last_key"),
        Level("very similar (Jaro-Winkler >= 0.92)", jaro_winkler("last_key", 0.92)),
        Level("similar (Jaro-Winkler >= 0.85), same sound, or swapped and similar",
              f"{jaro_winkler('last_key', 0.85)} or {{a}}.last_metaphone = {{b}}.last_metaphone"
              f" or {NAMES_SWAPPED_SIMILAR}"),
        Level("loosely similar (Jaro-Winkler >= 0.70)", jaro_winkler("last_key", 0.70)),
    ),
)

DATE_OF_BIRTH = Comparison(
    name="date_of_birth",
    description="Date of birth: exact; one digit mistyped or two swapped; day and month transposed (a "
                "US/European mix-up); the same day and month a year apart.",
    missing=either_missing("date_of_birth"),
    levels=(
        Level("same date", "{a}.date_of_birth = {b}.date_of_birth", tf_column="date_of_birth"),
        Level("one digit apart", "damerau_levenshtein({a}.birth_text, {b}.birth_text) = 1"),
        Level("day and month swapped",
              "year({a}.date_of_birth) = year({b}.date_of_birth) and month({a}.date_of_birth) = day({b}.date_of_birth)"
              " and day({a}.date_of_birth) = month({b}.date_of_birth)"),
        Level("same day and month, a year apart",
              "month({a}.date_of_birth) = month({b}.date_of_birth) and day({a}.date_of_birth) = day({b}.date_of_birth)"
              " and abs(year({a}.date_of_birth) - year({b}.date_of_birth)) = 1"),
    ),
    persistent=True,
)

EMAIL = Comparison(
    name="email",
    description="E-mail: the same mailbox (plus-tags dropped, Gmail dots folded); the same username at "
                "another provider. A household's or an office's shared address is evidence only between "
                "records with the same given name, an address many people use (an office's info@) counts for "
                "little, and an address made of the name (john.smith@) says "
                "nothing the names do not when it was typed differently.",
    missing=either_missing("email_match_key"),
    levels=(
        Level("shared address, other given name",
              f"{{a}}.email_match_key = {{b}}.email_match_key and ({{a}}.is_email_shared or {{b}}.is_email_shared)"
              f" and not coalesce({FIRST_NAME_AGREES}, false)", neutral=True),
        Level("same name-made address typed differently",
              "{a}.email_match_key = {b}.email_match_key and {a}.email_as_typed <> {b}.email_as_typed"
              " and ({a}.is_email_local_name_derived or {b}.is_email_local_name_derived)", neutral=True),
        Level("same address", "{a}.email_match_key = {b}.email_match_key", tf_column="email_match_key",
              counted_by_rule="email"),
        Level("same name-made username elsewhere",
              "{a}.email_local = {b}.email_local"
              " and ({a}.is_email_local_name_derived or {b}.is_email_local_name_derived)",
              neutral=True),
        Level("same username elsewhere", "{a}.email_local = {b}.email_local"),
    ),
)

PHONE = Comparison(
    name="phone",
    description="Phone (E.164): the same number; the same subscriber number under another country code (a "
                "number typed without one and parsed in the wrong region). A shared number is evidence only "
                "between records with the same given name.",
    missing=either_missing("phone_e164"),
    levels=(
        Level("shared number, other given name",
              f"{{a}}.phone_e164 = {{b}}.phone_e164 and ({{a}}.is_phone_shared or {{b}}.is_phone_shared)"
              f" and not coalesce({FIRST_NAME_AGREES}, false)", neutral=True),
        Level("same number", "{a}.phone_e164 = {b}.phone_e164", tf_column="phone_e164", counted_by_rule="phone"),
        Level("same last nine digits", "right({a}.phone_e164, 9) = right({b}.phone_e164, 9)"),
    ),
)

# Street (house number and street name), postcode, town and state are one piece of evidence,
# counted once: two people at one address agree on all of them together.
_POSTCODE_SAME = "{a}.postcode_key = {b}.postcode_key"
_CITY_SAME = "{a}.city_key = {b}.city_key"
_LOCALITY_FULL = (f"(({_POSTCODE_SAME} or {{a}}.postcode_key is null or {{b}}.postcode_key is null)"
                  f" and ({_CITY_SAME} or {{a}}.city_key is null or {{b}}.city_key is null)"
                  f" and ({_POSTCODE_SAME} or {_CITY_SAME}))")
_LOCALITY_PART = (f"({_POSTCODE_SAME} or {_CITY_SAME}"
                  " or damerau_levenshtein({a}.postcode_key, {b}.postcode_key) = 1"
                  " or jaro_winkler_similarity({a}.city_key, {b}.city_key) >= 0.88)")
_STREET_FULL = "({a}.street_number = {b}.street_number and {a}.street_name = {b}.street_name)"
_STREET_NEAR = ("(({a}.street_name = {b}.street_name and ({a}.street_number is null or {b}.street_number is null"
                " or damerau_levenshtein({a}.street_number, {b}.street_number) = 1))"
                " or ({a}.street_number = {b}.street_number and "
                + jaro_winkler("street_name", 0.88) + "))")
_NO_STREET = "({a}.street_name is null or {b}.street_name is null)"

ADDRESS = Comparison(
    name="address",
    description="Address as one piece of evidence: house number and street, postcode and town (locality), "
                "state and country, from the same address down to a different country. A postcode or "
                "address many people share (an office, a town-wide code) counts for less.",
    missing=either_missing("street_name", "postcode_key", "city_key", "state_key", "country_code"),
    levels=(
        Level("same house number, street and locality", f"{_STREET_FULL} and {_LOCALITY_FULL}",
              tf_column="address_key", counted_by_rule="street_postcode"),
        Level("same address but one part mistyped",
              f"({_STREET_FULL} and {_LOCALITY_PART}) or ({_STREET_NEAR} and {_LOCALITY_FULL})"),
        Level("street or number mistyped and locality partly agrees", f"{_STREET_NEAR} and {_LOCALITY_PART}"),
        Level("same locality, no street to compare", f"{_NO_STREET} and {_LOCALITY_FULL}", tf_column="postcode_key"),
        Level("same locality, another street", _LOCALITY_FULL, tf_column="postcode_key"),
        Level("same house number and street, another locality", _STREET_FULL),
        Level("locality partly agrees", _LOCALITY_PART),
        Level("same state or postcode district",
              "{a}.state_key = {b}.state_key or left({a}.postcode_key, 3) = left({b}.postcode_key, 3)"),
        Level("same country, no address to compare",
              f"({either_missing('street_name', 'postcode_key', 'city_key')})"
              " and {a}.country_code = {b}.country_code"),
        Level("another address, same or unknown country", "coalesce({a}.country_code = {b}.country_code, true)"),
    ),
    else_label="another country",
)

IDENTIFIER = Comparison(
    name="identifier",
    description="Identifiers a configuration declares (loyalty number, national id): the same value, one "
                "character apart, or another value of the same kind. Neutral when the two records hold no "
                "identifier of the same kind.",
    missing="{a}.identifiers is null or {b}.identifiers is null"
            " or not list_has_any({a}.identifier_kinds, {b}.identifier_kinds)",
    levels=(
        Level("same identifier", "list_has_any({a}.identifiers, {b}.identifiers)", counted_by_rule="identifier"),
        Level("same kind, one character apart",
              "len(list_filter({a}.identifiers, lambda left_id: len(list_filter({b}.identifiers, lambda right_id:"
              " split_part(left_id, ':', 1) = split_part(right_id, ':', 1)"
              " and damerau_levenshtein(left_id, right_id) = 1)) > 0)) > 0"),
    ),
    else_label="same kind, another value",
    persistent=True,
)

SHOP_ACTIVITY = Comparison(
    name="shop_activity",
    description="Optional layer, where the shop's own records tie person records to accounts: an account itself, "
                "a payment or ticket about an order the account placed, a subscriber's click that opened a "
                "session signed in to it. Two shop accounts are not compared (each holds its own id).",
    missing="not ({a}.has_shop_activity and {b}.has_shop_activity) or ({a}.is_shop_account and {b}.is_shop_account)",
    levels=(
        Level("tied to the same account or order", "list_has_any({a}.shop_activity_keys, {b}.shop_activity_keys)",
              counted_by_rule="shared_shop_activity"),
    ),
    else_label="tied to other accounts or orders",
)

BLOCKING_RULES = (
    BlockingRule("email", ("email_match_key",)),
    BlockingRule("phone", ("phone_e164",)),
    BlockingRule("identifier", ("identifiers",), is_list=True),
    BlockingRule("full_name", ("first_canonical", "last_key"), name_only=True),
    BlockingRule("last_name_initial", ("last_key", "first_initial"), name_only=True),
    BlockingRule("name_any_order", ("name_set_key",), name_only=True),
    BlockingRule("dob_last_soundex", ("date_of_birth", "last_soundex")),
    BlockingRule("dob_first_name", ("date_of_birth", "first_canonical")),
    BlockingRule("birthday_first_name", ("birth_month_day", "first_canonical")),
    BlockingRule("dob_postcode", ("date_of_birth", "postcode_key")),
    BlockingRule("dob_city", ("date_of_birth", "city_key")),
    BlockingRule("dob_name_sound", ("birth_sound_keys",), is_list=True),
    BlockingRule("street_postcode", ("address_key",)),
    BlockingRule("street_city", ("street_key", "city_key")),
    BlockingRule("street_last_metaphone", ("street_key", "last_metaphone")),
    BlockingRule("postcode_name_sound", ("postcode_sound_keys",), is_list=True),
    BlockingRule("first_nysiis_last_name", ("first_nysiis", "last_key"), name_only=True),
    BlockingRule("first_name_last_metaphone", ("first_canonical", "last_metaphone"), name_only=True),
    BlockingRule("name_or_username", ("name_keys",), is_list=True, name_only=True),
    BlockingRule("shared_shop_activity", ("shop_activity_keys",), is_list=True),
)

# Sessions block on what a person keeps to themselves (names, birth date, declared identifiers, and
# e-mail and phone, whose shared household use is neutral and so left out of a session): their
# non-matches look like random pairs on the comparisons left free. A session blocking on the
# address would train on households, who share a surname and an address and differ on the given
# name and birthday, and teach EM that one person's records disagree on both.
TRAINING_SESSIONS = (
    TrainingSession("email", ("email",)),
    TrainingSession("phone", ("phone",)),
    TrainingSession("identifier", ("identifier",)),
    TrainingSession("full_name", ("first_name", "last_name"), sampled=True),
    TrainingSession("dob_first_name", ("date_of_birth", "first_name")),
    TrainingSession("dob_last_soundex", ("date_of_birth", "last_name")),
)

DEFAULT = Specification(
    comparisons=(FIRST_NAME, LAST_NAME, DATE_OF_BIRTH, EMAIL, PHONE, ADDRESS, IDENTIFIER, SHOP_ACTIVITY),
    blocking_rules=BLOCKING_RULES,
    training_sessions=TRAINING_SESSIONS,
    tf_holders={"email_match_key": "name_set_key", "phone_e164": "name_set_key"},
    tf_interchangeable={"first_key": "last_key", "last_key": "first_key"},
    # people with the same surname share an address far more often than strangers (households), and
    # namesakes type the same name-made e-mail (john.smith@) more often than strangers
    conditional_u=(ConditionalU("address", given=("last_name",), within="last_key"),
                   ConditionalU("email", given=("first_name", "last_name"), within="name_set_key")),
)
