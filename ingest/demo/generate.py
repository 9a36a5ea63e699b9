"""Seeded, scalable demo data for *Northwind Outfitters* (contract: ``FORMATS.md``).

Why it is built this way:

* The whole world (people, their records in every system, their activity up to
  2025-09-30) is derived from ``(seed, people)`` alone; a batch is only a time-window
  view of that world. So batch 2 is consistent with batch 1 whatever order they are
  written in, and writing a batch twice gives byte-identical files.
* Everything big is vectorised: numpy draws the numbers, pyarrow compute kernels build
  the strings, pyarrow writes CSV/Parquet, and JSON lines are assembled as Arrow
  strings. Per-event randomness in the web stream comes from a counter-based hash, so
  any slice of sessions can be expanded independently (bounded memory, parts of ~1M
  rows).
* The mess (typos, nicknames, formats, duplicates, bad rows) is applied per record with
  seeded codes, and the ground truth keeps the true person behind every record.

Batches: batch 1 is the initial full load (a quarter of the people are customers from
before 2023, so their records carry older created dates; all activity starts 2023-01-01),
batch 2 is 2025-07-01..09-30. ``shop.sqlite`` records its state in ``PRAGMA user_version``
(last batch applied) and ``application_id`` (fingerprint of seed and scale): batch 2 is
applied in place to a batch-1 database of the same demo, otherwise the batch-1 state is
written first, so the file is byte-identical whichever way it was produced.

CLI: ``python -m ingest.demo.generate --out data/demo --people 5000 --seed 42 --batch 1``
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import random
import sqlite3
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

# --------------------------------------------------------------------------------------
# Time line
# --------------------------------------------------------------------------------------
DAY = 86_400
YEAR = 365.25 * DAY


def _epoch(s: str) -> int:
    return int(datetime.fromisoformat(s).replace(tzinfo=UTC).timestamp())


T_START = _epoch("2023-01-01T00:00:00")
LEGACY_START = _epoch("2019-01-01T00:00:00")  # records that already existed when the time line starts
BATCH_END = {1: _epoch("2025-06-30T23:59:59"), 2: _epoch("2025-09-30T23:59:59")}
BATCH_START = {1: T_START, 2: BATCH_END[1] + 1}
WORLD_END = BATCH_END[2]
NEVER = np.int64(2**62)
BATCHES = (1, 2)
EVENTS_PER_PART = 1_000_000

# --------------------------------------------------------------------------------------
# Vocabulary (no Faker: small, hand-made lists)
# --------------------------------------------------------------------------------------
COUNTRIES = ["GB", "IE", "US", "DE", "FR"]
GB, IE, US, DE, FR = range(5)
COUNTRY_P = [0.60, 0.10, 0.15, 0.08, 0.07]
CURRENCIES = ["GBP", "EUR", "USD", "EUR", "EUR"]
FX = np.array([1.0, 1.17, 1.27, 1.17, 1.17])  # GBP -> order currency
FREE_SHIP_C = np.array([5000, 6000, 7500, 6000, 6000])
SHIP_FEE_C = np.array([395, 495, 695, 495, 495])
COUNTRY_NAMES = {  # how free-text systems spell countries; first entry = most common
    GB: ["United Kingdom", "UK", "GB", "Great Britain", "England", "U.K."],
    IE: ["Ireland", "IE", "Republic of Ireland", "Eire"],
    US: ["United States", "USA", "US", "U.S.A.", "United States of America"],
    DE: ["Germany", "DE", "Deutschland"],
    FR: ["France", "FR", "Frankreich"],
}

_EN_F = [
    "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen", "Nancy",
    "Lisa", "Margaret", "Betty", "Sandra", "Ashley", "Dorothy", "Kimberly", "Emily", "Donna", "Michelle", "Carol",
    "Amanda", "Melissa", "Deborah", "Stephanie", "Rebecca", "Laura", "Sharon", "Cynthia", "Kathleen", "Amy",
    "Shirley", "Angela", "Helen", "Anna", "Brenda", "Pamela", "Nicole", "Samantha", "Katherine", "Emma", "Ruth",
    "Christine", "Catherine", "Rachel", "Janet", "Virginia", "Maria", "Heather", "Diane", "Julie", "Joyce",
    "Victoria", "Olivia", "Kelly", "Christina", "Lauren", "Joan", "Evelyn", "Judith", "Megan", "Cheryl", "Andrea",
    "Hannah", "Martha", "Jacqueline", "Frances", "Gloria", "Ann", "Teresa", "Kathryn", "Sara", "Janice", "Jean",
    "Alice", "Madison", "Doris", "Abigail", "Julia", "Grace", "Denise", "Amber", "Marilyn", "Beverly", "Danielle",
    "Theresa", "Sophie", "Marie", "Diana", "Natalie", "Isabella", "Charlotte", "Rose", "Alexandra", "Amelia", "Chloe",
    "Lucy", "Ella", "Mia", "Poppy", "Freya", "Isla", "Lily", "Ava", "Eleanor", "Gillian", "Nicola", "Claire",
    "Joanne", "Tracey", "Alison", "Louise", "Kirsty", "Gemma", "Leanne", "Hayley", "Zoe", "Jade", "Paula", "Wendy",
    "Josephine", "Sophia", "Harriet", "Imogen", "Georgia", "Holly", "Jasmine", "Ellie", "Katie", "Caroline", "Fiona",
    "Joanna", "Susanne", "Lorraine", "Dawn", "Julia", "Yvonne", "Elaine", "Maureen", "Sheila", "Valerie", "Rita",
    "Jill", "Hazel"
]
_EN_M = [
    "James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas", "Christopher", "Charles",
    "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Andrew", "Paul", "Joshua", "Kenneth", "Kevin",
    "Brian", "George", "Timothy", "Ronald", "Jason", "Edward", "Jeffrey", "Ryan", "Jacob", "Gary", "Nicholas", "Eric",
    "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon", "Benjamin", "Samuel", "Gregory", "Alexander",
    "Patrick", "Frank", "Raymond", "Jack", "Dennis", "Jerry", "Tyler", "Aaron", "Adam", "Nathan", "Henry", "Zachary",
    "Douglas", "Peter", "Kyle", "Noah", "Ethan", "Jeremy", "Walter", "Christian", "Keith", "Roger", "Terry", "Austin",
    "Sean", "Gerald", "Carl", "Harold", "Dylan", "Arthur", "Lawrence", "Jordan", "Jesse", "Bryan", "Bruce", "Gabriel",
    "Logan", "Alan", "Albert", "Elijah", "Wayne", "Randy", "Vincent", "Mason", "Roy", "Ralph", "Russell", "Bradley",
    "Philip", "Eugene", "Oliver", "Harry", "Charlie", "Freddie", "Alfie", "Archie", "Leo", "Oscar", "Theo", "Jake",
    "Callum", "Liam", "Lewis", "Connor", "Luke", "Owen", "Rhys", "Jamie", "Craig", "Darren", "Gareth", "Neil",
    "Stuart", "Ian", "Graham", "Colin", "Martin", "Simon", "Nigel", "Trevor", "Barry", "Frederick", "Joe", "Billy",
    "Toby", "Max", "Louis", "Hugo", "Reuben", "Rory", "Dominic", "Marcus", "Edmund", "Duncan", "Alistair", "Hamish",
    "Fraser", "Ewan"
]
_IE_F = [
    "Siobhán", "Niamh", "Aoife", "Róisín", "Orla", "Ciara", "Sinéad", "Aisling", "Caoimhe", "Saoirse", "Gráinne",
    "Clodagh", "Deirdre", "Eimear", "Máire"
]
_IE_M = [
    "Seán", "Ciarán", "Pádraig", "Eoin", "Declan", "Conor", "Cian", "Darragh", "Oisín", "Colm", "Diarmuid", "Fionn",
    "Ronan", "Cathal", "Dónal", "Niall", "Shane", "Eamon"
]
_DE_F = [
    "Anna", "Maria", "Ursula", "Monika", "Petra", "Elisabeth", "Sabine", "Renate", "Helga", "Karin", "Brigitte",
    "Ingrid", "Erika", "Andrea", "Gisela", "Claudia", "Susanne", "Gabriele", "Christa", "Christine", "Birgit",
    "Barbara", "Julia", "Stefanie", "Katharina", "Lena", "Laura", "Lea", "Leonie", "Hannah", "Sophie", "Sarah",
    "Johanna", "Franziska", "Nicole", "Sandra", "Melanie", "Anja", "Jana"
]
_DE_M = [
    "Peter", "Michael", "Wolfgang", "Thomas", "Klaus", "Jürgen", "Andreas", "Hans", "Stefan", "Christian", "Uwe",
    "Werner", "Frank", "Bernd", "Dieter", "Horst", "Manfred", "Gerhard", "Ralf", "Matthias", "Markus", "Sebastian",
    "Tobias", "Jan", "Lukas", "Maximilian", "Felix", "Jonas", "Leon", "Paul", "Alexander", "Daniel", "Florian",
    "Johannes", "Tim", "Niklas", "Philipp", "Moritz", "Simon", "Dominik", "Fabian", "Kai", "Holger", "Jens", "Dirk",
    "Torsten", "Sven", "Oliver", "Jörg"
]
_FR_F = [
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Christine", "Monique", "Valérie", "Sophie",
    "Sandrine", "Stéphanie", "Véronique", "Céline", "Chantal", "Camille", "Julie", "Aurélie", "Émilie", "Laura",
    "Manon", "Léa", "Chloé", "Inès", "Sarah", "Emma", "Juliette", "Lucie", "Pauline", "Mathilde", "Élodie", "Claire",
    "Anne", "Hélène", "Margaux", "Océane", "Clémence", "Charlotte", "Caroline", "Virginie"
]
_FR_M = [
    "Jean", "Philippe", "Michel", "Alain", "Nicolas", "Christophe", "Patrick", "Pierre", "Daniel", "Éric", "Frédéric",
    "Laurent", "Stéphane", "Pascal", "Julien", "David", "Sébastien", "Thierry", "Thomas", "Olivier", "François",
    "Guillaume", "Antoine", "Maxime", "Alexandre", "Romain", "Hugo", "Lucas", "Louis", "Théo", "Mathieu", "Vincent",
    "Benoît", "Jérôme", "Cédric", "Quentin", "Baptiste", "Florian", "Arnaud", "Damien", "Yann", "Gabriel", "Raphaël",
    "Arthur", "Jules"
]

NICKNAMES: dict[str, list[str]] = {
    "William": ["Bill", "Will", "Billy", "Liam"], "Robert": ["Bob", "Rob", "Bobby", "Robbie"],
    "Elizabeth": ["Liz", "Beth", "Lizzie", "Eliza", "Betty"], "Katherine": ["Kate", "Katie", "Kathy", "Kat"],
    "Catherine": ["Cathy", "Kate", "Cat"], "Margaret": ["Maggie", "Peggy", "Meg"],
    "James": ["Jim", "Jamie", "Jimmy"], "Michael": ["Mike", "Mick", "Mikey"], "Thomas": ["Tom", "Tommy"],
    "Jennifer": ["Jen", "Jenny"], "Christopher": ["Chris", "Kit"], "Alexander": ["Alex", "Sandy"],
    "Alexandra": ["Alex", "Lexi", "Sandra"], "Daniel": ["Dan", "Danny"], "Joseph": ["Joe", "Joey"],
    "Patricia": ["Pat", "Trish", "Patty"], "Richard": ["Rick", "Dick", "Rich", "Richie"],
    "Edward": ["Ed", "Ted", "Eddie", "Ned"], "Anthony": ["Tony"], "Andrew": ["Andy", "Drew"],
    "Benjamin": ["Ben", "Benny"], "Charles": ["Charlie", "Chuck"], "David": ["Dave", "Davey"],
    "Jonathan": ["Jon", "Johnny"], "John": ["Johnny", "Jack"], "Matthew": ["Matt"],
    "Nicholas": ["Nick", "Nicky"], "Samuel": ["Sam", "Sammy"], "Stephen": ["Steve"], "Steven": ["Steve"],
    "Timothy": ["Tim"], "Peter": ["Pete"], "Gregory": ["Greg"], "Kenneth": ["Ken", "Kenny"],
    "Ronald": ["Ron", "Ronnie"], "Donald": ["Don"], "Raymond": ["Ray"], "Gerald": ["Gerry"],
    "Lawrence": ["Larry"], "Frederick": ["Fred", "Freddie"], "Henry": ["Harry", "Hank"],
    "Harold": ["Harry"], "Philip": ["Phil"], "Nathan": ["Nate"], "Zachary": ["Zach"], "Joshua": ["Josh"],
    "Oliver": ["Ollie"], "Susan": ["Sue", "Suzy"], "Deborah": ["Deb", "Debbie"], "Rebecca": ["Becky", "Becca"],
    "Victoria": ["Vicky", "Tori"], "Jessica": ["Jess", "Jessie"], "Samantha": ["Sam", "Sammy"],
    "Abigail": ["Abby"], "Christine": ["Chris", "Chrissy"], "Christina": ["Tina", "Chris"],
    "Barbara": ["Barb", "Babs"], "Dorothy": ["Dot", "Dottie"], "Jacqueline": ["Jackie"],
    "Josephine": ["Jo", "Josie"], "Nicola": ["Nicky"], "Amanda": ["Mandy"], "Theresa": ["Tess", "Terri"],
    "Eleanor": ["Ellie", "Nell"], "Frances": ["Fran"], "Judith": ["Judy"], "Pamela": ["Pam"],
    "Sandra": ["Sandy"], "Cynthia": ["Cindy"], "Kimberly": ["Kim"], "Melissa": ["Mel"],
    "Stephanie": ["Steph"], "Gillian": ["Gill"], "Charlotte": ["Lottie", "Charlie"],
    "Isabella": ["Bella", "Izzy"], "Olivia": ["Liv"], "Sophia": ["Sophie"], "Danielle": ["Dani"],
    "Douglas": ["Doug"], "Walter": ["Walt"], "Albert": ["Bert", "Al"], "Eugene": ["Gene"],
    "Dominic": ["Dom"], "Johannes": ["Hannes"], "Maximilian": ["Max"], "Katharina": ["Kathi", "Kati"],
    "Franziska": ["Franzi"], "Andreas": ["Andi"], "Matthias": ["Matze"], "Alexandre": ["Alex"],
    "Frédéric": ["Fred"], "Stéphanie": ["Steph"], "Pádraig": ["Paddy"], "Seán": ["Shaun"],
}

_EN_LAST = [
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts",
    "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris",
    "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark",
    "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker",
    "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey",
    "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson",
    "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason",
    "Ali", "Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight",
    "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Graham",
    "Pearson", "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart", "Elliott", "Reynolds",
    "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West", "Lawrence", "Cole", "Atkinson", "Bradley",
    "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien", "Watts", "Rose", "Booth", "Perry", "Ryan", "Grant",
    "Wells", "Armstrong", "Francis", "Rees", "Hayes", "Hart", "Hudson", "Newman", "Barrett", "Webster", "Hunter",
    "Gregory", "Carr", "Lowe", "Page", "Marsh", "Riley", "Dunn", "Woods", "Parsons", "Berry", "Stone", "Reid",
    "Holland", "Hawkins", "Harding", "Porter", "Robertson", "Newton", "Oliver", "Reed", "Kennedy", "Williamson",
    "Bird", "Gardner", "Shah", "Dean", "Lane", "Cooke", "Bates", "Henderson", "Parry", "Burgess", "Bishop", "Walton",
    "Burns", "Nicholson", "Shepherd", "Ross", "Cross", "Long", "Freeman", "Warren", "Nicholls", "Hamilton", "Byrne",
    "Sutton", "McDonald", "Yates", "Hodgson", "Robson", "Curtis", "Hopkins", "O'Connor", "Harper", "Coleman",
    "Watkins", "Moss", "McCarthy", "Chambers", "Griffin", "Sharp", "Hardy", "Wheeler", "Potter", "Osborne",
    "Johnston", "Gordon", "Doyle", "Wallace", "George", "Jordan", "Hutchinson", "Rowe", "Burke", "May", "Pritchard",
    "Gilbert", "Willis", "Higgins", "Read", "Miles", "Stevenson", "Stephenson", "Hammond", "Arnold", "Buckley",
    "Walters", "Hewitt", "Barber", "Nelson", "Slater", "Austin", "Sullivan", "Whitehead", "Mann", "Frost", "Lambert",
    "Stephens", "Blake", "Akhtar", "Lynch", "Goodwin", "Barton", "Woodward", "Thomson", "Cunningham", "Quinn",
    "Barnett", "Baxter", "Clayton", "Nash", "Greenwood", "Jennings", "Holt", "Kemp", "Poole", "Gallagher", "Bond",
    "Stokes", "Tucker", "Davidson", "Fowler", "Heath", "Norman", "Middleton", "Lawson", "Banks", "French", "Stanley",
    "Jarvis", "Gibbs", "Ferguson", "Hayward", "Carroll", "Douglas", "Dickinson", "Todd", "Barlow", "Peters", "Lucas",
    "Knowles", "Hartley", "Miah", "Simmons", "Morton", "Alexander", "Field", "Morrison", "Norris", "Townsend",
    "Preston", "Hancock", "Thornton", "Baldwin", "Burrows", "Briggs", "Storey", "Pollard", "Ashworth", "Whitaker",
    "Ainsworth", "Fairbairn", "Smith-Jones", "Lloyd-Webber"
]
_US_LAST = [
    "Garcia", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Perez", "Sanchez", "Ramirez", "Torres",
    "Flores", "Rivera", "Nguyen", "Kim", "Washington", "Gomez", "Diaz", "Reyes", "Cruz", "Ortiz", "Chen", "Wang",
    "Le", "Tran", "Park"
]
_IE_LAST = [
    "Murphy", "Kelly", "O'Sullivan", "Walsh", "O'Brien", "Byrne", "Ryan", "O'Connor", "O'Neill", "O'Reilly", "Doyle",
    "McCarthy", "Gallagher", "O'Doherty", "Kennedy", "Lynch", "Murray", "Quinn", "Moore", "McLoughlin", "O'Carroll",
    "Connolly", "Daly", "O'Connell", "Dunne", "Brennan", "Burke", "Fitzgerald", "Maguire", "Nolan", "Flynn",
    "O'Callaghan", "O'Donnell", "Duffy", "O'Mahony", "Boyle", "Healy", "O'Shea", "Sweeney", "Kavanagh", "Power",
    "McGrath", "Moran", "Brady", "Casey", "Foley", "Fitzpatrick", "O'Leary", "McDonnell", "Donnelly", "Regan",
    "Donovan", "Flanagan", "Mullan", "Kane", "Kenny", "Sheehan", "Whelan", "Lyons", "Cullen", "Keane", "Maher",
    "McKenna", "Hogan", "O'Keeffe", "Magee", "McNamara", "O'Rourke", "O'Dwyer"
]
_DE_LAST = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
    "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun",
    "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid",
    "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters",
    "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Günther",
    "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster", "Simon",
    "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher", "Krämer", "Vogt", "Stein", "Jäger", "Otto", "Sommer",
    "Groß", "Seidel", "Heinrich", "Brandt", "Haas"
]
_FR_LAST = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent", "Simon",
    "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont",
    "Lambert", "Fontaine", "Rousseau", "Vincent", "Lefèvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer",
    "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Perrin", "Robin", "Clément", "Morin", "Nicolas",
    "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval", "Denis", "Dumont", "Lemaire", "Noël",
    "Dufour", "Meunier", "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Brunet", "Gaillard", "Barbier", "Arnaud",
    "Gérard", "Roche", "Renard", "Roy", "Leroux", "Colin", "Vidal", "Caron", "Picard", "Fabre", "Aubert", "Lemoine",
    "Renaud", "Dumas", "Lacroix", "Olivier", "Bourgeois", "Benoît", "Leclerc", "Dupuis", "Le", "Gall", "Le", "Roux"
]
_FR_LAST = [s for s in _FR_LAST if s not in ("Le",)] + ["Le Gall", "Le Roux", "Da Silva"]
_FR_LAST = [s for s in _FR_LAST if s not in ("Gall", "Roux")] + ["Roux"]

_GB_STREET_BASE = [
    "High", "Station", "Church", "Victoria", "Park", "Manor", "Queens", "Kings", "Mill", "School", "North", "South",
    "London", "Albert", "Green", "Chapel", "Windsor", "York", "Springfield", "Grange", "Orchard", "Meadow",
    "Highfield", "Cedar", "Elm", "Oak", "Willow", "Beech", "Ash", "Alexandra", "Richmond", "Cambridge", "Mount",
    "Brook", "Hill", "Forest", "Stanley", "Clarence", "Salisbury", "Marlborough", "Wellington", "Nelson", "Balmoral",
    "Hawthorn", "Primrose", "Rose", "Lime", "Sycamore", "Birch", "Chestnut", "Holly", "Westfield", "Broad", "West",
    "New", "Bridge", "Market", "Castle", "Abbey", "Priory", "Riverside"
]
_GB_TYPES = [("Street", "St"), ("Road", "Rd"), ("Lane", "Ln"), ("Avenue", "Ave"), ("Close", "Cl"),
             ("Drive", "Dr"), ("Gardens", "Gdns"), ("Crescent", "Cres"), ("Place", "Pl"),
             ("Court", "Ct"), ("Terrace", "Terr"), ("Grove", "Gr"), ("Way", "Way")]
_IE_STREET_BASE = [
    "Main", "Strand", "O'Connell", "Pearse", "Parnell", "Grafton", "Dame", "Harcourt", "Leeson", "Patrick",
    "Clontarf", "Rathmines", "Ranelagh", "Glasnevin", "Drumcondra", "Sandymount", "Church", "Station", "Castle",
    "Bridge", "Mill", "Park", "Green", "Abbey", "Chapel", "Sarsfield", "Emmet", "Davitt"
]
_IE_TYPES = [("Street", "St"), ("Road", "Rd"), ("Avenue", "Ave"), ("Park", "Pk"), ("Drive", "Dr"),
             ("Lane", "Ln"), ("Terrace", "Tce"), ("Grove", "Gr"), ("Court", "Ct")]
_US_STREET_BASE = [
    "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park", "Sunset", "Lincoln",
    "Jefferson", "Madison", "Franklin", "Highland", "Forest", "River", "Spring", "Church", "Walnut", "Chestnut",
    "Willow", "Meadow", "Center", "Union", "Jackson", "Adams", "Ridge", "Valley", "Broadway", "Market", "Cherry",
    "Lakeview", "Hillcrest", "1st", "2nd", "3rd", "5th", "Fifth", "Second"
]
_US_TYPES = [("Street", "St"), ("Avenue", "Ave"), ("Boulevard", "Blvd"), ("Drive", "Dr"),
             ("Road", "Rd"), ("Lane", "Ln"), ("Court", "Ct"), ("Place", "Pl"), ("Way", "Way")]
_DE_STREETS = [
    "Hauptstraße", "Bahnhofstraße", "Schulstraße", "Gartenstraße", "Dorfstraße", "Bergstraße", "Lindenstraße",
    "Kirchstraße", "Waldstraße", "Ringstraße", "Schillerstraße", "Goethestraße", "Friedrichstraße", "Mozartstraße",
    "Beethovenstraße", "Lindenweg", "Birkenweg", "Rosenweg", "Feldweg", "Wiesenweg", "Ahornweg", "Kantstraße",
    "Uhlandstraße", "Poststraße", "Marktplatz", "Kaiserstraße", "Wilhelmstraße", "Luisenstraße", "Parkstraße",
    "Blumenstraße", "Talstraße", "Sonnenstraße", "Mühlenweg", "Brunnenstraße", "Industriestraße", "Berliner Straße",
    "Hamburger Straße", "Münchner Straße", "Am Markt", "Alte Gasse"
]
_FR_STREETS = ["rue de la Paix", "rue Victor Hugo", "boulevard Saint-Michel", "rue de la République",
               "rue Jean Jaurès", "avenue Jean Médecin", "rue Nationale", "avenue de la Gare",
               "rue des Écoles", "place de la Liberté", "rue Pasteur", "rue Gambetta", "avenue Foch",
               "boulevard Voltaire", "rue de Rivoli", "rue du Château", "rue des Lilas",
               "chemin des Vignes", "allée des Tilleuls", "impasse des Roses", "rue Carnot",
               "rue Émile Zola", "avenue du Général de Gaulle", "rue Saint-Jacques",
               "quai de la Tournelle", "rue de Verdun", "boulevard Gambetta", "rue de la Mairie",
               "avenue de la République", "rue du Moulin"]
_FR_ABBR = [("boulevard ", "bd "), ("avenue ", "av. "), ("place ", "pl. "), ("chemin ", "ch. "),
            ("allée ", "all. "), ("rue ", "r. "), ("impasse ", "imp. "), ("quai ", "q. ")]

# Cities: (country, name, weight, state, postcode spec, landline area codes, alternative spellings)
_CITY_ROWS: list[tuple[int, str, float, str | None, Any, list[str], list[str]]] = [
    (GB, "London", 30, None, "E1 E14 E17 N1 N7 N16 NW1 NW3 NW6 SE1 SE15 SE22 SW1A SW4 SW11 SW19 W1T W2 W5 W12 EC1V "
     "WC1N",
     ["20"], ["LONDON", "Greater London"]),
    (GB, "Manchester", 6, None, "M1 M4 M14 M20 M21 M32", ["161"], ["MANCHESTER", "Greater Manchester"]),
    (GB, "Birmingham", 6, None, "B1 B5 B13 B15 B29 B30", ["121"], ["B'ham"]),
    (GB, "Leeds", 4, None, "LS1 LS6 LS8 LS17", ["113"], []),
    (GB, "Glasgow", 4, None, "G1 G3 G12 G41", ["141"], []),
    (GB, "Edinburgh", 3.5, None, "EH1 EH3 EH10 EH12", ["131"], []),
    (GB, "Bristol", 3.5, None, "BS1 BS6 BS8 BS16", ["117"], []),
    (GB, "Liverpool", 3.5, None, "L1 L8 L17 L18", ["151"], []),
    (GB, "Sheffield", 3, None, "S1 S10 S11", ["114"], []),
    (GB, "Newcastle upon Tyne", 2.5, None, "NE1 NE2 NE6", ["191"], ["Newcastle"]),
    (GB, "Cardiff", 2.5, None, "CF10 CF11 CF14", ["29"], []),
    (GB, "Nottingham", 2.5, None, "NG1 NG5 NG7", ["115"], []),
    (GB, "Leicester", 2, None, "LE1 LE2 LE3", ["116"], []),
    (GB, "Brighton", 2, None, "BN1 BN2 BN3", ["1273"], ["Brighton and Hove", "Hove"]),
    (GB, "Oxford", 1.5, None, "OX1 OX2 OX4", ["1865"], []),
    (GB, "Cambridge", 1.5, None, "CB1 CB2 CB4", ["1223"], []),
    (GB, "York", 1.2, None, "YO1 YO10 YO31", ["1904"], []),
    (GB, "Bath", 1, None, "BA1 BA2", ["1225"], []),
    (GB, "Norwich", 1.2, None, "NR1 NR2 NR3", ["1603"], []),
    (GB, "Belfast", 2, None, "BT1 BT7 BT9", ["28"], []),
    (GB, "Reading", 1.5, None, "RG1 RG4 RG30", ["118"], []),
    (GB, "Southampton", 1.5, None, "SO14 SO15 SO17", ["23"], []),
    (GB, "Exeter", 1, None, "EX1 EX2 EX4", ["1392"], []),
    (GB, "Aberdeen", 1, None, "AB10 AB11 AB15", ["1224"], []),
    (GB, "Milton Keynes", 1.2, None, "MK9 MK10 MK14", ["1908"], ["MK"]),
    (GB, "Guildford", 1, None, "GU1 GU2", ["1483"], []),
    (IE, "Dublin", 50, None, "D01 D02 D04 D06 D08 D15 D24", ["1"], ["Dublin 2", "Co. Dublin", "Baile Átha Cliath"]),
    (IE, "Cork", 15, None, "T12 T23", ["21"], ["Co. Cork"]),
    (IE, "Galway", 8, None, "H91", ["91"], []),
    (IE, "Limerick", 7, None, "V94", ["61"], []),
    (IE, "Waterford", 5, None, "X91", ["51"], []),
    (IE, "Kilkenny", 3, None, "R95", ["56"], []),
    (IE, "Drogheda", 3, None, "A92", ["41"], []),
    (IE, "Dundalk", 3, None, "A91", ["42"], []),
    (IE, "Sligo", 2, None, "F91", ["71"], []),
    (IE, "Athlone", 2, None, "N37", ["90"], []),
    (US, "New York", 16, "NY", "100 101 102", ["212", "646", "917"], ["New York City", "NYC", "Manhattan"]),
    (US, "Brooklyn", 6, "NY", "112", ["718", "347"], []),
    (US, "Los Angeles", 10, "CA", "900", ["213", "310", "323"], ["LA"]),
    (US, "Chicago", 8, "IL", "606", ["312", "773"], []),
    (US, "Houston", 6, "TX", "770", ["713", "832"], []),
    (US, "Phoenix", 4, "AZ", "850", ["602", "480"], []),
    (US, "Philadelphia", 4, "PA", "191", ["215", "267"], ["Philly"]),
    (US, "San Antonio", 3, "TX", "782", ["210"], []),
    (US, "San Diego", 3, "CA", "921", ["619", "858"], []),
    (US, "Dallas", 4, "TX", "752", ["214", "469"], []),
    (US, "Austin", 3, "TX", "787", ["512", "737"], []),
    (US, "San Francisco", 4, "CA", "941", ["415", "628"], ["SF"]),
    (US, "Seattle", 4, "WA", "981", ["206"], []),
    (US, "Denver", 3, "CO", "802", ["303", "720"], []),
    (US, "Boston", 4, "MA", "021", ["617", "857"], []),
    (US, "Atlanta", 3, "GA", "303", ["404", "678"], []),
    (US, "Miami", 3, "FL", "331", ["305", "786"], []),
    (US, "Portland", 3, "OR", "972", ["503", "971"], []),
    (US, "Minneapolis", 2, "MN", "554", ["612"], []),
    (US, "Nashville", 2, "TN", "372", ["615"], []),
    (US, "Columbus", 2, "OH", "432", ["614"], []),
    (DE, "Berlin", 20, None, (10115, 14199), ["30"], []),
    (DE, "Hamburg", 10, None, (20095, 22769), ["40"], []),
    (DE, "München", 9, None, (80331, 81929), ["89"], ["Munich", "Muenchen"]),
    (DE, "Köln", 7, None, (50667, 51149), ["221"], ["Cologne", "Koeln"]),
    (DE, "Frankfurt am Main", 6, None, (60306, 60599), ["69"], ["Frankfurt", "Frankfurt a.M."]),
    (DE, "Stuttgart", 5, None, (70173, 70629), ["711"], []),
    (DE, "Düsseldorf", 5, None, (40210, 40629), ["211"], ["Duesseldorf", "Dusseldorf"]),
    (DE, "Leipzig", 4, None, (4103, 4357), ["341"], []),
    (DE, "Dresden", 4, None, (1067, 1328), ["351"], []),
    (DE, "Hannover", 4, None, (30159, 30669), ["511"], ["Hanover"]),
    (DE, "Nürnberg", 4, None, (90402, 90491), ["911"], ["Nuremberg", "Nuernberg"]),
    (DE, "Bremen", 3, None, (28195, 28779), ["421"], []),
    (FR, "Paris", 30, None, (75001, 75020), ["1"], ["PARIS"]),
    (FR, "Marseille", 8, None, (13001, 13016), ["4"], []),
    (FR, "Lyon", 8, None, (69001, 69009), ["4"], []),
    (FR, "Toulouse", 6, None, (31000, 31500), ["5"], []),
    (FR, "Nice", 5, None, (6000, 6300), ["4"], []),
    (FR, "Nantes", 5, None, (44000, 44300), ["2"], []),
    (FR, "Strasbourg", 4, None, (67000, 67200), ["3"], []),
    (FR, "Montpellier", 4, None, (34000, 34090), ["4"], []),
    (FR, "Bordeaux", 5, None, (33000, 33800), ["5"], []),
    (FR, "Lille", 5, None, (59000, 59800), ["3"], []),
]
US_STATE_NAMES = {"NY": "New York", "CA": "California", "IL": "Illinois", "TX": "Texas", "AZ": "Arizona",
                  "PA": "Pennsylvania", "WA": "Washington", "CO": "Colorado", "MA": "Massachusetts",
                  "GA": "Georgia", "FL": "Florida", "OR": "Oregon", "MN": "Minnesota", "TN": "Tennessee",
                  "OH": "Ohio"}

# Mobile number prefixes (national significant number), validated against phonenumbers.
_MOBILE_SPECS: dict[int, list[tuple[str, int, tuple[int, ...]]]] = {
    GB: [(f"7{d}", 8, (4, 6)) for d in "456789"],
    IE: [(p, 7, (2, 3, 4)) for p in ("83", "85", "86", "87", "89")],
    US: [],  # US mobiles are not distinguishable: use the city's area codes
    DE: [(p, 8, (3, 8)) for p in ("151", "152", "157", "159")]
    + [(p, 7, (3, 7)) for p in ("160", "162", "163", "170", "171", "172", "173", "174", "175", "176", "177", "178",
                                "179")],
    FR: [(f"6{d}", 7, (1, 2, 2, 2, 2)) for d in "0123456789"] + [(f"7{d}", 7, (1, 2, 2, 2, 2)) for d in "3456789"],
}
_CC = {GB: "44", IE: "353", US: "1", DE: "49", FR: "33"}

# Phone renderings. Every format parses back (phonenumbers, region = record country).
PHONE_FORMATS = ["e164", "intl_sp", "nat_sp", "nat_compact", "intl_00", "intl_p0", "dashed",
                 "dotted", "parens", "nsn_only", "cc_sp"]
PF = {name: i for i, name in enumerate(PHONE_FORMATS)}
JUNK_PHONES = ["n/a", "000", "unknown", "0000000000", "123", "tbc"]

EMAIL_DOMAINS = ["gmail.com", "googlemail.com", "hotmail.co.uk", "outlook.com", "yahoo.com", "yahoo.co.uk",
                 "icloud.com", "btinternet.com", "live.co.uk", "sky.com", "aol.com", "virginmedia.com",
                 "hotmail.com", "eircom.net", "live.ie", "comcast.net", "web.de", "gmx.de", "t-online.de",
                 "yahoo.de", "orange.fr", "free.fr", "hotmail.fr", "laposte.net", "sfr.fr", "yahoo.fr"]
_DOM = {d: i for i, d in enumerate(EMAIL_DOMAINS)}
_DOMAIN_P = {
    GB: {"gmail.com": .30, "hotmail.co.uk": .13, "outlook.com": .10, "yahoo.com": .05, "yahoo.co.uk": .06,
         "icloud.com": .09, "btinternet.com": .08, "googlemail.com": .04, "live.co.uk": .04, "sky.com": .04,
         "aol.com": .02, "virginmedia.com": .05},
    IE: {"gmail.com": .38, "hotmail.com": .15, "outlook.com": .10, "yahoo.com": .08, "icloud.com": .10,
         "eircom.net": .10, "live.ie": .09},
    US: {"gmail.com": .42, "yahoo.com": .16, "outlook.com": .08, "hotmail.com": .08, "icloud.com": .14,
         "aol.com": .06, "comcast.net": .06},
    DE: {"gmail.com": .22, "web.de": .25, "gmx.de": .22, "t-online.de": .12, "outlook.com": .08,
         "yahoo.de": .05, "icloud.com": .06},
    FR: {"gmail.com": .30, "orange.fr": .22, "free.fr": .12, "hotmail.fr": .12, "laposte.net": .08,
         "sfr.fr": .08, "yahoo.fr": .08},
}
WORK_DOMAINS = ["brightwater-consulting.co.uk", "harbourlogistics.com", "kestrel-media.co.uk",
                "greenfield-health.org", "lumenbank.com", "atlas-engineering.de", "bureau-lyon.fr"]
PLUS_TAGS = ["shop", "news", "nw", "orders", "promo", "2023", "deals"]
SHOP_DOMAIN = "northwind-outfitters.com"

CATEGORIES = ["apparel", "footwear", "outdoor", "accessories", "home", "kids", "travel"]
_CATEGORY_P = [0.32, 0.14, 0.18, 0.14, 0.08, 0.08, 0.06]
_PRODUCT_NOUNS: dict[str, list[tuple[str, float, float]]] = {
    "apparel": [("T-Shirt", 12, 30), ("Merino Base Layer", 35, 80), ("Fleece Jacket", 40, 110), ("Hoodie", 30, 70),
                ("Waterproof Jacket", 80, 280), ("Down Jacket", 120, 320), ("Walking Trousers", 40, 95),
                ("Shorts", 20, 50), ("Flannel Shirt", 30, 60), ("Knit Jumper", 45, 120),
                ("Softshell Jacket", 70, 160), ("Leggings", 25, 60)],
    "footwear": [("Walking Boots", 90, 210), ("Trail Running Shoes", 80, 160), ("Approach Shoes", 90, 150),
                 ("Sandals", 30, 80), ("Wellington Boots", 35, 90), ("Chelsea Boots", 110, 190), ("Slippers", 20, 45)],
    "outdoor": [("2-Person Tent", 120, 450), ("4-Person Tent", 220, 700), ("Sleeping Bag", 50, 260),
                ("Sleeping Mat", 30, 140), ("Backpack 30L", 50, 160), ("Backpack 60L", 110, 260),
                ("Trekking Poles", 35, 110), ("Camping Stove", 30, 120), ("Headtorch", 20, 70),
                ("Water Filter", 25, 60)],
    "accessories": [("Beanie", 12, 30), ("Gloves", 15, 60), ("Hiking Socks", 10, 22), ("Sunglasses", 25, 140),
                    ("Leather Belt", 20, 55), ("Neck Gaiter", 12, 25), ("Cap", 15, 30), ("Water Bottle", 12, 35),
                    ("Dry Bag", 12, 40), ("Wallet", 20, 60)],
    "home": [("Wool Throw", 45, 120), ("Enamel Mug", 10, 18), ("Scented Candle", 15, 40), ("Cushion Cover", 18, 40),
             ("Picnic Blanket", 30, 70), ("Insulated Flask", 20, 45), ("Doormat", 18, 40)],
    "kids": [("Kids Waterproof Jacket", 30, 70), ("Kids Walking Boots", 35, 65), ("Kids Fleece", 20, 40),
             ("Kids Backpack", 20, 45), ("Kids Wellies", 18, 35)],
    "travel": [("Duffel Bag 60L", 60, 150), ("Packing Cubes", 20, 40), ("Travel Pillow", 15, 35),
               ("Wheeled Holdall", 120, 260), ("Washbag", 15, 35)],
}
_PRODUCT_LINES = ["Alpine", "Ridge", "Coastal", "Highland", "Summit", "Glen", "Fjord", "Moor", "Harbour", "Ember",
                  "Tor", "Cairn"]
_COLOURS = ["Black", "Navy", "Olive", "Slate", "Rust", "Forest Green", "Sand", "Charcoal", "Ochre", "Sky Blue"]
_BRANDS = ["Northwind", "Northwind", "Fjellstad", "Coastline", "Summit & Co", "Harbour Lane"]

UA_STRINGS = [  # (platform, device_type, user agent)
    (0, 0, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
           " (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"),
    (0, 0, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15"
           " (KHTML, like Gecko) Version/17.4 Safari/605.1.15"),
    (0, 0, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0"),
    (0, 0, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
           " (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0"),
    (0, 1, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
           " (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"),
    (0, 1, "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36"
           " (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"),
    (0, 1, "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36"
           " (KHTML, like Gecko) Chrome/123.0.0.0 Mobile Safari/537.36"),
    (0, 2, "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
           " (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"),
    (0, 2, "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36"
           " (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"),
    (1, 1, "NorthwindOutfitters/5.3.1 (iPhone; iOS 17.4.1; Scale/3.00)"),
    (1, 1, "NorthwindOutfitters/5.2.0 (iPhone; iOS 16.7.2; Scale/3.00)"),
    (1, 2, "NorthwindOutfitters/5.3.1 (iPad; iOS 17.4.1; Scale/2.00)"),
    (2, 1, "NorthwindOutfitters/5.3.0 (Android 14; SM-S918B)"),
    (2, 1, "NorthwindOutfitters/5.1.2 (Android 13; Pixel 7)"),
    (2, 2, "NorthwindOutfitters/5.3.0 (Android 12; SM-T870)"),
]
PLATFORMS = ["web", "ios", "android"]
DEVICE_TYPES = ["desktop", "mobile", "tablet"]
EVENT_TYPES = ["page_view", "product_view", "add_to_cart", "checkout_started", "order_completed", "app_open", "login"]
EV_PAGE, EV_PRODUCT, EV_CART, EV_CHECKOUT, EV_DONE, EV_APP, EV_LOGIN = range(7)
PAGES = ["/", "/sale", "/new-in", "/search", "/account", "/stores", "/help/delivery"] + [f"/c/{c}" for c in CATEGORIES]
UTM_SOURCES = [None, "google", "facebook", "instagram", "awin", "criteo", "email", "newsletter"]
UTM_P = [0.50, 0.24, 0.07, 0.06, 0.06, 0.04, 0.0, 0.03]
UTM_EMAIL = UTM_SOURCES.index("email")
SPEND_CHANNELS = ["paid_search", "paid_social", "email", "affiliate", "display"]

_CAMPAIGN_THEMES = {
    1: ["January Sale", "New Year, New Gear"], 2: ["Valentine's Gifts", "Winter Clearance"],
    3: ["Spring Collection", "Mother's Day Gifts"], 4: ["Easter Weekend", "Trail Season"],
    5: ["Bank Holiday Offer", "Camping Essentials"], 6: ["Father's Day", "Summer Sale"],
    7: ["Summer Sale: Final Days", "Festival Kit"], 8: ["Back to School", "Late Summer Offer"],
    9: ["Autumn Collection", "Outdoor Week"], 10: ["Waterproofs Week", "Half-Term Adventures"],
    11: ["Black Friday", "Cyber Monday"], 12: ["Christmas Gift Guide", "Last Order Dates"],
}
_CAMPAIGN_GENERIC = ["New Arrivals", "Members Exclusive", "Weekend Flash Sale", "Product Spotlight",
                     "Staff Picks", "Free Delivery Weekend"]

TICKET_CHANNELS = ["email", "phone", "chat", "web_form"]
TICKET_CATEGORIES = ["delivery", "returns", "payment", "product", "account", "other"]
TICKET_PRIORITIES = ["low", "normal", "high", "urgent"]
TICKET_STATUSES = ["new", "open", "pending", "solved", "closed"]
_TICKET_SUBJECTS = {
    "delivery": ["Where is my order?", "Parcel not arrived", "Delivery delayed", "Wrong address on delivery",
                 "Courier says delivered but nothing here"],
    "returns": ["How do I return an item?", "Refund not received", "Return label not working",
                "Exchange for a different size"],
    "payment": ["Charged twice", "Payment declined", "Klarna payment question", "Discount code not applied"],
    "product": ["Zip broke after two weeks", "Size guide question", "Is this jacket waterproof?",
                "Item arrived damaged", "Boots leaking"],
    "account": ["Can't log in", "Change my email address", "Delete my account", "Unsubscribe me please",
                "Update my address"],
    "other": ["Store opening hours", "Gift card balance", "Feedback", "Question"],
}
ORDER_STATUSES = ["placed", "shipped", "delivered", "cancelled", "returned"]
PAY_METHODS = ["card", "paypal", "klarna", "apple_pay", "google_pay"]
CARD_BRANDS = ["visa", "mastercard", "amex"]
FAILURE_CODES = ["card_declined", "insufficient_funds", "expired_card", "incorrect_cvc", "processing_error"]
REFUND_REASONS = ["requested_by_customer", "duplicate", "fraudulent", "product_return"]

# --------------------------------------------------------------------------------------
# Small numeric and string helpers
# --------------------------------------------------------------------------------------
NULL = pa.scalar(None, pa.string())
_U64 = np.uint64


def _rng(seed: int, *names: str) -> np.random.Generator:
    """Independent, named random stream: adding a stream never shifts the others."""
    return np.random.default_rng([abs(int(seed))] + [zlib.crc32(n.encode()) for n in names])


def _mix64(x: np.ndarray, salt: int) -> np.ndarray:
    """splitmix64 finaliser: a bijection, so distinct keys give distinct ids."""
    z = np.asarray(x).astype(np.uint64) ^ _U64(salt & 0xFFFFFFFFFFFFFFFF)
    z = z + _U64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> _U64(27))) * _U64(0x94D049BB133111EB)
    return z ^ (z >> _U64(31))


def _salt(seed: int, name: str) -> int:
    """A 64-bit salt per (seed, purpose), so different id families never share hash values."""
    return (zlib.crc32(f"{seed}:{name}".encode()) << 32) | zlib.crc32(f"{name}:{seed}".encode())


def _unif(h: np.ndarray) -> np.ndarray:
    return (h >> _U64(11)).astype(np.float64) * (1.0 / 2**53)


def _pick(rng: np.random.Generator, n: int, p: Sequence[float]) -> np.ndarray:
    p = np.asarray(p, dtype=np.float64)
    return np.searchsorted(np.cumsum(p / p.sum()), rng.random(n), side="right").clip(0, len(p) - 1)


def _zipf(n: int, s: float = 0.9, k: float = 2.0) -> np.ndarray:
    w = 1.0 / (np.arange(n) + k) ** s
    return w / w.sum()


def _sa(mat: np.ndarray) -> pa.Array:
    """Fixed-width ASCII matrix (n, w) -> Arrow string array, zero copy of the bytes."""
    mat = np.ascontiguousarray(mat, dtype=np.uint8)
    n, w = mat.shape
    off = np.arange(0, (n + 1) * w, w, dtype=np.int64)
    if off[-1] < 2**31:
        return pa.StringArray.from_buffers(n, pa.py_buffer(off.astype(np.int32)), pa.py_buffer(mat.reshape(-1)))
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(off), pa.py_buffer(mat.reshape(-1))).cast(pa.string())


def _sa_right(mat: np.ndarray, lengths: np.ndarray) -> pa.Array:
    """Right-aligned matrix rows keeping only the last `lengths` bytes of each row."""
    n, w = mat.shape
    keep = np.arange(w)[None, :] >= (w - lengths)[:, None]
    data = np.ascontiguousarray(mat)[keep]
    off = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=off[1:])
    return pa.StringArray.from_buffers(n, pa.py_buffer(off.astype(np.int32)), pa.py_buffer(data))


def _digits(v: np.ndarray, width: int) -> np.ndarray:
    v = np.asarray(v, dtype=np.int64).copy()
    out = np.empty((len(v), width), dtype=np.uint8)
    for i in range(width - 1, -1, -1):
        out[:, i] = v % 10 + 48
        v //= 10
    return out


def _int_str(v: np.ndarray) -> pa.Array:
    """Non-negative integers -> decimal strings without padding."""
    v = np.asarray(v, dtype=np.int64)
    if len(v) == 0:
        return pa.array([], pa.string())
    width = max(1, len(str(int(v.max()))))
    lens = np.ones(len(v), dtype=np.int64)
    t = v // 10
    while (t > 0).any():
        lens += t > 0
        t //= 10
    return _sa_right(_digits(v, width), lens)


def _fixed_int(v: np.ndarray, width: int) -> pa.Array:
    return _sa(_digits(v, width))


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_B62 = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8)


def _hex_mat(h: np.ndarray, nibbles: int = 16) -> np.ndarray:
    h = np.asarray(h, dtype=np.uint64)
    out = np.empty((len(h), nibbles), dtype=np.uint8)
    for i in range(nibbles):
        out[:, nibbles - 1 - i] = _HEX[((h >> _U64(4 * i)) & _U64(15)).astype(np.int64)]
    return out


def _b62_mat(h: np.ndarray, width: int) -> np.ndarray:
    h = np.asarray(h, dtype=np.uint64).copy()
    out = np.empty((len(h), width), dtype=np.uint8)
    for i in range(width - 1, -1, -1):
        out[:, i] = _B62[(h % _U64(62)).astype(np.int64)]
        h //= _U64(62)
    return out


def _lit(s: str, n: int) -> np.ndarray:
    return np.broadcast_to(np.frombuffer(s.encode(), dtype=np.uint8), (n, len(s.encode())))


def _cat(*parts: Any) -> pa.Array:
    """Concatenate strings element-wise (a null part makes the result null)."""
    return pc.binary_join_element_wise(*parts, "")


def _where(mask: np.ndarray, a: Any, b: Any) -> pa.Array:
    return pc.if_else(pa.array(np.asarray(mask, dtype=bool)), a, b)


def _take(arr: pa.Array, idx: np.ndarray) -> pa.Array:
    return arr.take(pa.array(np.asarray(idx, dtype=np.int64)))


def _vocab(items: Sequence[str | None]) -> pa.Array:
    return pa.array(list(items), type=pa.string())


def _scatter(n: int, parts: list[tuple[np.ndarray, pa.Array]]) -> pa.Array:
    """Put per-group results back into row order (groups must cover all n rows)."""
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return pa.nulls(n, pa.string())
    idx = np.concatenate([p[0] for p in parts])
    arr = pa.concat_arrays([p[1].cast(pa.string()) for p in parts])
    inv = np.empty(n, dtype=np.int64)
    inv[idx] = np.arange(len(idx))
    return _take(arr, inv)


def _civil(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Days since 1970-01-01 -> (year, month, day); Howard Hinnant's algorithm."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (m <= 2), m, d


def _fmt_time(t: np.ndarray, fmt: str) -> pa.Array:
    """strftime for int64 epoch seconds (%Y %m %d %H %M %S), ~50x faster than pc.strftime."""
    t = np.asarray(t, dtype=np.int64)
    n = len(t)
    days = t // DAY
    sec = t - days * DAY
    y, m, d = _civil(days)
    fields = {"Y": (y, 4), "m": (m, 2), "d": (d, 2), "H": (sec // 3600, 2), "M": (sec // 60 % 60, 2),
              "S": (sec % 60, 2)}
    blocks, i = [], 0
    while i < len(fmt):
        if fmt[i] == "%":
            v, w = fields[fmt[i + 1]]
            blocks.append(_digits(v, w))
            i += 2
        else:
            j = fmt.find("%", i)
            j = len(fmt) if j < 0 else j
            blocks.append(_lit(fmt[i:j], n))
            i = j
    return _sa(np.concatenate(blocks, axis=1)) if n else pa.array([], pa.string())


def _money(cents: np.ndarray, sep: str = ".") -> pa.Array:
    cents = np.asarray(cents, dtype=np.int64)
    a = np.abs(cents)
    s = _cat(_int_str(a // 100), sep, _fixed_int(a % 100, 2))
    return _where(cents < 0, _cat("-", s), s)


def _opt_time(t: np.ndarray, fmt: str) -> pa.Array:
    ok = t < NEVER
    return _where(ok, _fmt_time(np.where(ok, t, 0), fmt), NULL)


def _sql_time(t: np.ndarray) -> pa.Array:
    return _fmt_time(t, "%Y-%m-%d %H:%M:%S")


# DST boundaries (UTC) to render local times with their offsets.
def _last_sunday(y: int, m: int) -> datetime:
    d = datetime(y, m + 1, 1) - timedelta(days=1) if m < 12 else datetime(y, 12, 31)
    return d - timedelta(days=(d.weekday() + 1) % 7)


def _nth_sunday(y: int, m: int, n: int) -> datetime:
    d = datetime(y, m, 1)
    return d + timedelta(days=(6 - d.weekday()) % 7 + 7 * (n - 1))


_EU_DST = [(_epoch(_last_sunday(y, 3).strftime("%Y-%m-%dT01:00:00")),
            _epoch(_last_sunday(y, 10).strftime("%Y-%m-%dT01:00:00"))) for y in range(2022, 2027)]
_US_DST = [(_epoch(_nth_sunday(y, 3, 2).strftime("%Y-%m-%dT07:00:00")),
            _epoch(_nth_sunday(y, 11, 1).strftime("%Y-%m-%dT06:00:00"))) for y in range(2022, 2027)]


def _in_dst(t: np.ndarray, table: list[tuple[int, int]]) -> np.ndarray:
    out = np.zeros(len(t), dtype=bool)
    for a, b in table:
        out |= (t >= a) & (t < b)
    return out


TZ_UK, TZ_US, TZ_CET = range(3)


def _fmt_local(t: np.ndarray, tz: np.ndarray, fmt: str, z_for_utc: bool = True) -> pa.Array:
    """Render UTC instants as local wall time with an explicit offset (Z, +01:00, -05:00...)."""
    eu = _in_dst(t, _EU_DST)
    usd = _in_dst(t, _US_DST)
    off_h = np.select([tz == TZ_UK, tz == TZ_US], [eu.astype(np.int64), np.where(usd, -4, -5)],
                      1 + eu.astype(np.int64))
    body = _fmt_time(t + off_h * 3600, fmt)
    suffix = _take(_vocab(["-05:00", "-04:00", None, None, None, "Z" if z_for_utc else "+00:00", "+01:00", "+02:00"]),
                   off_h + 5)
    return _cat(body, suffix)


def _group_starts(counts: np.ndarray) -> np.ndarray:
    s = np.zeros(len(counts), dtype=np.int64)
    np.cumsum(counts[:-1], out=s[1:])
    return s


def _pos_in_group(counts: np.ndarray) -> np.ndarray:
    return np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(_group_starts(counts), counts)


def _group_cumsum(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    cs = np.cumsum(values)
    before = np.append(cs - values, 0)  # empty trailing groups point past the end
    return cs - np.repeat(before[_group_starts(counts)], counts)


# --------------------------------------------------------------------------------------
# Vocabulary tables (built once; independent of the seed)
# --------------------------------------------------------------------------------------
_FOLD1 = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
_FOLD2 = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U", "ß": "ss", "é": "e",
                        "è": "e", "ê": "e", "ë": "e", "à": "a", "â": "a", "î": "i", "ï": "i", "ô": "o",
                        "û": "u", "ù": "u", "ç": "c", "á": "a", "í": "i", "ó": "o", "ú": "u", "É": "E",
                        "Á": "A", "Ó": "O", "Í": "I", "Ú": "U", "Œ": "Oe", "œ": "oe"})
_KEY_NEIGHBOURS = dict(zip("qwertyuiopasdfghjklzxcvbnm",
                           ["wa", "qes", "wrd", "etf", "ryg", "tuh", "yij", "uok", "ipl", "ol", "qsz", "awdx", "sefc",
                            "drgv", "fthb", "gyjn", "hukm", "jilm", "kop", "asx", "zsdc", "xdfv", "cfgb", "vghn",
                            "bhjm", "njk"], strict=True))


def _ascii(s: str) -> str:
    return s.translate(_FOLD1).translate(_FOLD2)


def _username_part(s: str) -> str:
    return "".join(ch for ch in _ascii(s).lower() if ch.isalnum())


def _typos(s: str, k: int = 3) -> list[str]:
    """k plausible one-edit typos (transposition, deletion, doubling, neighbour key)."""
    r = random.Random(zlib.crc32(s.encode()))
    out: list[str] = []
    for _ in range(40):
        if len(out) == k:
            break
        if len(s) < 3:
            t = s + s[-1]
        else:
            i = r.randrange(1, len(s) - 1)
            op = r.randrange(4)
            if op == 0:
                t = s[:i] + s[i + 1] + s[i] + s[i + 2:]
            elif op == 1:
                t = s[:i] + s[i + 1:]
            elif op == 2:
                t = s[:i] + s[i] + s[i:]
            else:
                c = s[i].lower()
                nb = _KEY_NEIGHBOURS.get(c)
                if not nb:
                    continue
                t = s[:i] + r.choice(nb) + s[i + 1:]
        if t != s and t not in out and t.strip() and " " not in t.strip()[-1:]:
            out.append(t)
    while len(out) < k:
        out.append(s + s[-1] * (len(out) + 1))
    return out


@dataclass
class VariantTable:
    """Strings with per-entry variants: canonical, nicknames, ascii fold, typos."""

    strings: pa.Array
    canon: np.ndarray
    nick_start: np.ndarray
    nick_n: np.ndarray
    fold: np.ndarray
    typo_start: np.ndarray
    ascii_lower: pa.Array  # for usernames
    names: list[str]


def _variant_table(names: list[str], nick: dict[str, list[str]] | None = None) -> VariantTable:
    strings: list[str] = []
    canon, ns, nn, fold, ts = [], [], [], [], []
    for s in names:
        canon.append(len(strings))
        strings.append(s)
        nicks = (nick or {}).get(s, [])
        ns.append(len(strings))
        nn.append(len(nicks))
        strings.extend(nicks)
        a = s.translate(_FOLD2) if s.translate(_FOLD2) != s else s
        if a != s:
            fold.append(len(strings))
            strings.append(a)
        else:
            fold.append(canon[-1])
        ts.append(len(strings))
        strings.extend(_typos(s))
    return VariantTable(_vocab(strings), np.array(canon), np.array(ns), np.array(nn), np.array(fold),
                        np.array(ts), _vocab([_username_part(s) for s in names]), names)


@dataclass
class Vocab:
    first: VariantTable
    first_gender: np.ndarray
    first_pool: dict[tuple[str, int], np.ndarray]  # (pool, gender) -> candidate indices (by popularity)
    nick_user: pa.Array  # first-name nickname (or name) for usernames
    last: VariantTable
    last_pool: dict[str, np.ndarray]
    street: pa.Array  # 5 variants per street: canonical, abbreviated, ascii, typo, typo
    street_country: np.ndarray
    street_by_country: dict[int, np.ndarray]
    city_country: np.ndarray
    city_p: dict[int, tuple[np.ndarray, np.ndarray]]
    city: pa.Array  # 4 variants per city: canonical, alt, upper, typo
    city_state: pa.Array
    city_state_full: pa.Array
    city_specs: list[Any]
    phone_types: PhoneTypes


@dataclass
class PhoneTypes:
    country: np.ndarray
    prefix: np.ndarray  # int64
    sub_len: np.ndarray
    nsn_len: np.ndarray
    layout: np.ndarray  # index into layouts
    layouts: list[tuple[int, tuple[int, ...]]]  # (country, groups)
    mobile_by_country: dict[int, np.ndarray]
    mobile_by_city: dict[int, np.ndarray]  # US: mobiles share the city's area codes
    landline_by_city: dict[int, np.ndarray]


def _valid_prefixes(country: int, prefix: str, sub_len: int, r: random.Random, tries: int) -> list[tuple[str, int]]:
    """The parts of a number range that phonenumbers accepts: each next digit is sampled `tries`
    times and a range with invalid parts (e.g. French 0262 is Reunion) is split into its valid parts."""
    cc = int(_CC[country])
    out: list[tuple[str, int]] = []
    for d in "0123456789":
        ok = True
        for _ in range(tries):
            rest = "".join(str(r.randrange(10)) for _ in range(sub_len - 1))
            if country == US:  # no N11 or 555 exchanges
                rest = ("2" + rest[1:]) if (prefix + d + rest)[4:6] == "11" else rest
            num = phonenumbers.PhoneNumber(country_code=cc, national_number=int(prefix + d + rest))
            ok = ok and phonenumbers.is_valid_number(num)
        if ok:
            out.append((prefix + d, sub_len - 1))
    return [(prefix, sub_len)] if len(out) == 10 else out


def _build_phone_types(city_rows: list[Any]) -> PhoneTypes:
    """Number ranges per country/city, kept only where phonenumbers says they are valid."""
    r = random.Random(20240601)
    rows: list[tuple[int, str, int, tuple[int, ...], int, int]] = []  # country, prefix, sub, groups, kind, city

    def add(country: int, prefix: str, sub: int, groups: tuple[int, ...], kind: int, city: int) -> bool:
        valid = _valid_prefixes(country, prefix, sub, r, 2 if kind == 0 else 6) if sub > 1 else []
        rows.extend((country, p, s, groups, kind, city) for p, s in valid)
        return bool(valid)

    for c, specs in _MOBILE_SPECS.items():
        for prefix, sub, groups in specs:
            if c == GB:  # UK mobile ranges are allocated per 7xxx block
                for d in range(100):
                    add(c, f"{prefix}{d:02d}", sub - 2, groups, 0, -1)
            else:
                add(c, prefix, sub, groups, 0, -1)
    for ci, (c, _name, _w, _st, _spec, areas, _alt) in enumerate(city_rows):
        for area in areas:
            for d in "2345678":
                ie_len = (8,) if area in ("1", "91", "61", "51") else (9,)
                for nsn_len in {GB: (10,), IE: ie_len, US: (10,), DE: (10, 11), FR: (9,)}[c]:
                    if c == GB:
                        groups: tuple[int, ...] = {2: (2, 4, 4), 3: (3, 3, 4), 4: (4, 6)}[len(area)]
                    elif c == IE:
                        groups = (len(area), 3, nsn_len - len(area) - 3)
                    elif c == US:
                        groups = (3, 3, 4)
                    elif c == DE:
                        groups = (len(area), nsn_len - len(area))
                    else:
                        groups = (1, 2, 2, 2, 2)
                    sub = nsn_len - len(area) - 1
                    ok = add(c, area + d, sub, groups, 1, ci)
                    if c == US:  # US mobiles live in the same geographic area codes
                        add(c, area + d, sub, groups, 0, ci)
                    if ok:
                        break
    layouts: list[tuple[int, tuple[int, ...]]] = []
    lay_idx = []
    for c, _prefix, _sub, groups, _k, _ci in rows:
        if (c, groups) not in layouts:
            layouts.append((c, groups))
        lay_idx.append(layouts.index((c, groups)))
    country = np.array([x[0] for x in rows])
    kind = np.array([x[4] for x in rows])
    city = np.array([x[5] for x in rows])
    return PhoneTypes(
        country=country, prefix=np.array([int(x[1]) for x in rows], dtype=np.int64),
        sub_len=np.array([x[2] for x in rows]), nsn_len=np.array([len(x[1]) + x[2] for x in rows]),
        layout=np.array(lay_idx), layouts=layouts,
        mobile_by_country={c: np.flatnonzero((country == c) & (kind == 0) & (city < 0)) for c in range(5)},
        mobile_by_city={ci: np.flatnonzero((city == ci) & (kind == 0)) for ci in range(len(city_rows))},
        landline_by_city={ci: np.flatnonzero((city == ci) & (kind == 1)) for ci in range(len(city_rows))})


@functools.lru_cache(maxsize=1)
def _build_vocab() -> Vocab:
    first_entries: list[tuple[str, int, str]] = []
    for pool, fem, mal in (("en", _EN_F, _EN_M), ("ie", _IE_F, _IE_M), ("de", _DE_F, _DE_M), ("fr", _FR_F, _FR_M)):
        seen: set[tuple[str, int]] = set()
        for g, lst in ((0, fem), (1, mal)):
            for s in lst:
                if (s, g) not in seen:
                    seen.add((s, g))
                    first_entries.append((s, g, pool))
    first_names = [e[0] for e in first_entries]
    first = _variant_table(first_names, NICKNAMES)
    first_gender = np.array([e[1] for e in first_entries])
    first_pool = {}
    for pool in ("en", "ie", "de", "fr"):
        for g in (0, 1):
            first_pool[(pool, g)] = np.array([i for i, e in enumerate(first_entries) if e[2] == pool and e[1] == g])
    nick_user = _vocab([_username_part((NICKNAMES.get(s) or [s])[0]) for s in first_names])

    last_names: list[str] = []
    last_pool: dict[str, np.ndarray] = {}
    for pool, lst in (("en", _EN_LAST), ("us", _US_LAST), ("ie", _IE_LAST), ("de", _DE_LAST), ("fr", _FR_LAST)):
        idx = []
        for s in dict.fromkeys(lst):
            if s not in last_names:
                last_names.append(s)
            idx.append(last_names.index(s))
        last_pool[pool] = np.array(idx)
    last = _variant_table(last_names)

    streets: list[str] = []
    street_country: list[int] = []

    def add_street(c: int, full: str, abbr: str, base: str) -> None:
        t = _typos(base, 2)
        streets.extend([full, abbr, _ascii(full), full.replace(base, t[0]), full.replace(base, t[1])])
        street_country.append(c)

    for c, bases, types in ((GB, _GB_STREET_BASE, _GB_TYPES), (IE, _IE_STREET_BASE, _IE_TYPES),
                            (US, _US_STREET_BASE, _US_TYPES)):
        for b in bases:
            for full_t, abbr_t in types:
                add_street(c, f"{b} {full_t}", f"{b} {abbr_t}", b)
    for s in _DE_STREETS:
        abbr = s.replace("straße", "str.").replace("Straße", "Str.")
        add_street(DE, s, abbr, s.split()[0] if " " in s else s)
    for s in _FR_STREETS:
        abbr = s
        for a, b in _FR_ABBR:
            if s.startswith(a):
                abbr = b + s[len(a):]
                break
        add_street(FR, s, abbr, s.split()[-1])
    street_country_a = np.array(street_country)

    cities: list[str] = []
    for _c, name, _w, _st, _spec, _areas, alt in _CITY_ROWS:
        alt_name = alt[0] if alt else name
        cities.extend([name, alt_name, name.upper(), _typos(name, 1)[0]])
    city_country = np.array([r[0] for r in _CITY_ROWS])
    city_p = {}
    for c in range(5):
        idx = np.flatnonzero(city_country == c)
        w = np.array([_CITY_ROWS[i][2] for i in idx], dtype=float)
        city_p[c] = (idx, w / w.sum())
    return Vocab(
        first=first, first_gender=first_gender, first_pool=first_pool, nick_user=nick_user, last=last,
        last_pool=last_pool, street=_vocab(streets), street_country=street_country_a,
        street_by_country={c: np.flatnonzero(street_country_a == c) for c in range(5)},
        city_country=city_country, city_p=city_p, city=_vocab(cities),
        city_state=_vocab([r[3] for r in _CITY_ROWS]),
        city_state_full=_vocab([US_STATE_NAMES.get(r[3] or "") for r in _CITY_ROWS]),
        city_specs=[r[4] for r in _CITY_ROWS], phone_types=_build_phone_types(_CITY_ROWS))


# --------------------------------------------------------------------------------------
# People: identity, addresses over time, e-mails, phones, latent behaviour, devices
# --------------------------------------------------------------------------------------
ALL_DOMAINS = EMAIL_DOMAINS + WORK_DOMAINS
DOMAIN_V = _vocab(ALL_DOMAINS)
GMAIL, GOOGLEMAIL = _DOM["gmail.com"], _DOM["googlemail.com"]


@dataclass
class Address:
    city: np.ndarray
    street: np.ndarray
    house: np.ndarray
    line2: np.ndarray  # 0 = none, else flat/apartment number
    postcode: pa.Array


@dataclass
class People:
    n: int
    country: np.ndarray
    gender: np.ndarray
    first: np.ndarray
    middle: np.ndarray  # -1 = none
    last: np.ndarray
    dob: np.ndarray  # days since epoch
    acq: np.ndarray  # first appearance (epoch s)
    addr: list[Address]  # [before move, after move]
    move_t: np.ndarray
    users: pa.Array  # 3n usernames: [v1 | v2 (after change) | alternative]
    doms: np.ndarray  # 3n domain indexes (ALL_DOMAINS)
    email_t: np.ndarray
    mob_type: np.ndarray
    mob_nsn: np.ndarray  # -1 = none
    land_type: np.ndarray
    land_nsn: np.ndarray
    partner: np.ndarray  # household partner or -1
    lam: np.ndarray  # purchase rate per year while active
    pdrop: np.ndarray  # chance to drop out after each purchase
    spend: np.ndarray  # spend level (mean 1)
    p_app: np.ndarray
    cat_cum: np.ndarray  # (n, K) cumulative category preference
    eng_open: np.ndarray
    eng_click: np.ndarray
    card4: np.ndarray  # (n, 2) last4 of two cards
    card_brand: np.ndarray  # (n, 2)
    dev_start: np.ndarray
    dev_n: np.ndarray
    dev_person: np.ndarray
    dev_platform: np.ndarray
    dev_type: np.ndarray
    dev_ua: np.ndarray


@functools.lru_cache(maxsize=1)
def _postcode_tables() -> tuple[pa.Array, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    codes: list[str] = []
    start, count, lo, hi = [], [], [], []
    for _c, _n, _w, _s, spec, _a, _alt in _CITY_ROWS:
        if isinstance(spec, str):
            parts = spec.split()
            start.append(len(codes))
            count.append(len(parts))
            codes.extend(parts)
            lo.append(0)
            hi.append(0)
        else:
            start.append(0)
            count.append(0)
            lo.append(spec[0])
            hi.append(spec[1])
    return _vocab(codes), np.array(start), np.array(count), np.array(lo), np.array(hi)


_GB_INWARD = np.frombuffer(b"ABDEFGHJLNPQRSTUWXYZ", dtype=np.uint8)
_IE_FIRST = np.frombuffer(b"ACDEFHKNPRTVWXY", dtype=np.uint8)
_IE_REST = np.frombuffer(b"ACDEFHKNPRTVWXY0123456789", dtype=np.uint8)


def _postcodes(rng: np.random.Generator, city: np.ndarray) -> pa.Array:
    """Country-shaped postcodes: 'SW11 4QD', 'D04 X2P8', '10027', '80331', '75011'."""
    n = len(city)
    country = np.array([r[0] for r in _CITY_ROWS])[city]
    codes, start, count, lo, hi = _postcode_tables()
    u = rng.random(n)
    r = rng.integers(0, 1 << 30, (n, 4))
    parts = []
    for c in range(5):
        rows = np.flatnonzero(country == c)
        if not len(rows):
            continue
        ci, rr = city[rows], r[rows]
        if c in (GB, IE, US):
            out = _take(codes, start[ci] + (u[rows] * count[ci]).astype(np.int64))
            m = len(rows)
            if c == GB:
                mat = np.stack([rr[:, 0] % 10 + 48, _GB_INWARD[rr[:, 1] % 20], _GB_INWARD[rr[:, 2] % 20]], 1)
                out = _cat(out, " ", _sa(mat))
            elif c == IE:
                mat = np.stack([_IE_FIRST[rr[:, 0] % 15], _IE_REST[rr[:, 1] % 25], _IE_REST[rr[:, 2] % 25],
                                _IE_REST[rr[:, 3] % 25]], 1)
                out = _cat(out, " ", _sa(mat))
            else:
                out = _cat(out, _fixed_int(rr[:, 0] % 100, 2))
            assert len(out) == m
        else:
            out = _fixed_int(lo[ci] + (u[rows] * (hi[ci] - lo[ci] + 1)).astype(np.int64), 5)
        parts.append((rows, out))
    return _scatter(n, parts)


def _gen_address(rng: np.random.Generator, country: np.ndarray, voc: Vocab,
                 keep_city: np.ndarray | None = None) -> Address:
    n = len(country)
    city = np.zeros(n, dtype=np.int64)
    street = np.zeros(n, dtype=np.int64)
    for c in range(5):
        m = country == c
        idx, p = voc.city_p[c]
        city[m] = idx[_pick(rng, int(m.sum()), p)]
        cand = voc.street_by_country[c]
        street[m] = cand[rng.integers(0, len(cand), int(m.sum()))]
    if keep_city is not None:
        city = np.where(keep_city >= 0, keep_city, city)
    u = rng.random(n)
    house = np.select([country == US, country == DE, country == FR],
                      [100 + (u * 9900).astype(np.int64), 1 + (u**2 * 120).astype(np.int64),
                       1 + (u**2 * 150).astype(np.int64)], 1 + (u**2 * 220).astype(np.int64))
    p_line2 = np.array([0.12, 0.10, 0.18, 0.03, 0.08])[country]
    line2 = np.where(rng.random(n) < p_line2, rng.integers(1, 41, n), 0)
    return Address(city, street, house, line2, _postcodes(rng, city))


def _take_addr(a: Address, src: np.ndarray) -> Address:
    return Address(a.city[src], a.street[src], a.house[src], a.line2[src], _take(a.postcode, src))


def _dedupe_users(rng: np.random.Generator, users: pa.Array, doms: np.ndarray) -> pa.Array:
    """Make every address unique (real mailboxes are), appending digits to later clashes."""
    for _ in range(8):
        full = _cat(users, "@", _take(DOMAIN_V, doms))
        codes = pc.dictionary_encode(full).indices.to_numpy(zero_copy_only=False)
        order = np.argsort(codes, kind="stable")
        sc = codes[order]
        head = np.r_[True, sc[1:] != sc[:-1]]
        rank_sorted = np.arange(len(sc)) - np.maximum.accumulate(np.where(head, np.arange(len(sc)), 0))
        dup = np.zeros(len(sc), dtype=bool)
        dup[order] = rank_sorted > 0
        if not dup.any():
            break
        users = _where(dup, _cat(users, _int_str(rng.integers(2, 100, len(dup)))), users)
    return users


def _usernames(rng: np.random.Generator, voc: Vocab, first: np.ndarray, last: np.ndarray,
               year: np.ndarray) -> pa.Array:
    n = len(first)
    fl = _take(voc.first.ascii_lower, first)
    ll = _take(voc.last.ascii_lower, last)
    nk = _take(voc.nick_user, first)
    f1 = pc.utf8_slice_codeunits(fl, 0, 1)
    yy = _fixed_int(year % 100, 2)
    num = _int_str(rng.integers(1, 1000, n))
    options = [_cat(fl, ".", ll), _cat(fl, ".", ll, yy), _cat(f1, ll), _cat(fl, ll), _cat(fl, "_", ll),
               _cat(fl, num), _cat(f1, ".", ll), _cat(ll, ".", fl), _cat(fl, ll, _fixed_int(year, 4)),
               _cat(ll, f1, yy), _cat(nk, ".", ll), _cat(nk, ll, num)]
    choice = _pick(rng, n, [.24, .12, .11, .10, .04, .07, .06, .04, .06, .04, .07, .05])
    return _take(pa.concat_arrays(options), choice * n + np.arange(n))


def _domains(rng: np.random.Generator, country: np.ndarray) -> np.ndarray:
    out = np.zeros(len(country), dtype=np.int64)
    for c in range(5):
        m = country == c
        names = list(_DOMAIN_P[c])
        out[m] = np.array([_DOM[d] for d in names])[_pick(rng, int(m.sum()), list(_DOMAIN_P[c].values()))]
    return out


def _pick_types(rng: np.random.Generator, groups: np.ndarray, cand: dict[int, np.ndarray]) -> np.ndarray:
    out = np.full(len(groups), -1, dtype=np.int64)
    u = rng.random(len(groups))
    for g, types in cand.items():
        if len(types):
            m = groups == g
            out[m] = types[(u[m] * len(types)).astype(np.int64)]
    return out


def _nsn(rng: np.random.Generator, pt: PhoneTypes, types: np.ndarray) -> np.ndarray:
    ok = types >= 0
    t = np.where(ok, types, 0)
    sub = pt.sub_len[t]
    rand = (rng.random(len(t)) * 10.0**sub).astype(np.int64)
    nsn = pt.prefix[t] * 10**sub + rand
    us = ok & (pt.country[t] == US)  # keep exchanges off N11 / 555
    exch = (nsn // 10**7) % 1000
    bad = us & ((exch % 100 == 11) | (exch == 555))
    nsn = np.where(bad, nsn + 10**7 * 2, nsn)
    return np.where(ok, nsn, -1)


def _build_people(seed: int, n: int, voc: Vocab) -> People:
    rng = _rng(seed, "people")
    country = _pick(rng, n, COUNTRY_P)
    gender = rng.integers(0, 2, n)
    acq = T_START + ((WORLD_END - T_START) * rng.random(n) ** 0.8).astype(np.int64)
    legacy = rng.random(n) < 0.25  # customers from before 2023: their records predate the time line
    acq = np.where(legacy, LEGACY_START + (rng.random(n) * (T_START - LEGACY_START)).astype(np.int64), acq)
    # households: couples share an address, usually a surname, sometimes an e-mail
    m = int(n * 0.03)
    perm = rng.permutation(n)
    heads, partners = perm[:m], perm[m:2 * m]
    country[partners] = country[heads]
    gender[partners] = np.where(rng.random(m) < 0.9, 1 - gender[heads], gender[heads])
    partner = np.full(n, -1, dtype=np.int64)
    partner[heads], partner[partners] = partners, heads

    u = rng.random(n)
    pool = np.select([country == IE, country == DE, country == FR],
                     [np.where(u < 0.35, 1, 0), np.where(u < 0.92, 2, 0), np.where(u < 0.92, 3, 0)],
                     np.where((country == GB) & (u < 0.03), 1, 0))
    first = np.zeros(n, dtype=np.int64)
    middle = np.zeros(n, dtype=np.int64)
    for pi, pname in enumerate(("en", "ie", "de", "fr")):
        for g in (0, 1):
            mask = (pool == pi) & (gender == g)
            cand = voc.first_pool[(pname, g)]
            first[mask] = cand[_pick(rng, int(mask.sum()), _zipf(len(cand), 0.8, 3))]
            middle[mask] = cand[_pick(rng, int(mask.sum()), _zipf(len(cand), 0.8, 3))]
    middle = np.where((rng.random(n) < 0.25) & (middle != first), middle, -1)
    u = rng.random(n)
    lpool = np.select([country == IE, country == US, country == DE, country == FR],
                      [np.where(u < 0.7, 2, 0), np.where(u < 0.25, 1, 0), np.full(n, 3), np.full(n, 4)],
                      np.where(u < 0.05, 2, 0))
    last = np.zeros(n, dtype=np.int64)
    for pi, pname in enumerate(("en", "us", "ie", "de", "fr")):
        mask = lpool == pi
        cand = voc.last_pool[pname]
        last[mask] = cand[_pick(rng, int(mask.sum()), _zipf(len(cand), 1.0, 3))]
    last[partners] = np.where(rng.random(m) < 0.8, last[heads], last[partners])
    age = np.clip(18 + rng.gamma(3.0, 7.0, n), 18, 92)
    dob = ((acq - age * YEAR) // DAY).astype(np.int64)

    # addresses, moves (partners live with their head of household)
    src = np.arange(n)
    src[partners] = heads
    a1 = _gen_address(rng, country, voc)
    keep = np.where(rng.random(n) < 0.6, a1.city, -1)
    a2 = _gen_address(rng, country, voc, keep_city=keep)
    moved = rng.random(n) < 0.15
    move_t = np.where(moved, acq + (rng.random(n) * (WORLD_END + 1.5 * YEAR - acq)).astype(np.int64), NEVER)
    a1, a2, move_t = _take_addr(a1, src), _take_addr(a2, src), move_t[src]

    # e-mails: v1, v2 (after a change), alternative (second/work address)
    year = _civil(dob)[0]
    u1, d1 = _usernames(rng, voc, first, last, year), _domains(rng, country)
    u2, d2 = _usernames(rng, voc, first, last, year), _domains(rng, country)
    d2 = np.where(rng.random(n) < 0.4, d1, d2)
    u3, d3 = _usernames(rng, voc, first, last, year), _domains(rng, country)
    work = rng.random(n) < 0.2
    d3 = np.where(work, len(EMAIL_DOMAINS) + rng.integers(0, len(WORK_DOMAINS), n), d3)
    u3 = _where(work, _cat(_take(voc.first.ascii_lower, first), ".", _take(voc.last.ascii_lower, last)), u3)
    shared = np.zeros(n, dtype=bool)
    shared[heads] = rng.random(m) < 0.5
    ll = _take(voc.last.ascii_lower, last)
    fam = [_cat("the", ll, "s"), _cat(ll, "family"), _cat(ll, ".family"), _cat(ll, "home"),
           _cat(_take(voc.first.ascii_lower, first), "and", _take(voc.first.ascii_lower, first[partner.clip(0)]))]
    fam_pick = rng.integers(0, len(fam), n)
    u1 = _where(shared, _take(pa.concat_arrays(fam), fam_pick * n + np.arange(n)), u1)
    users = _dedupe_users(rng, pa.concat_arrays([u1, u2, u3]), np.concatenate([d1, d2, d3]))
    doms = np.concatenate([d1, d2, d3])
    share_src = np.arange(3 * n)
    sp = partners[shared[heads]]
    share_src[sp] = partner[sp]
    users, doms = _take(users, share_src), doms[share_src]
    changed = rng.random(n) < 0.12
    email_t = np.where(changed, acq + 90 * DAY + (rng.random(n) * (WORLD_END + 2 * YEAR - acq)).astype(np.int64),
                       NEVER)

    pt = voc.phone_types
    mob_group = np.where(country == US, 100 + a1.city, country)
    cand = {c: pt.mobile_by_country[c] for c in range(5)}
    cand.update({100 + ci: t for ci, t in pt.mobile_by_city.items() if len(t)})
    mob_type = np.where(rng.random(n) < 0.95, _pick_types(rng, mob_group, cand), -1)
    land_type = np.where(rng.random(n) < 0.35, _pick_types(rng, a1.city, pt.landline_by_city), -1)
    mob_nsn, land_nsn = _nsn(rng, pt, mob_type), _nsn(rng, pt, land_type)

    catw = rng.dirichlet(np.array(_CATEGORY_P) * 3.0, n)
    dev_n = 1 + rng.binomial(2, 0.3, n)
    dev_person = np.repeat(np.arange(n), dev_n)
    nd = len(dev_person)
    p_app = rng.beta(1.2, 2.2, n)
    is_app = rng.random(nd) < p_app[dev_person]
    platform = np.where(is_app, np.where(rng.random(nd) < 0.55, 1, 2), 0)
    dtype_ = np.where(is_app, np.where(rng.random(nd) < 0.9, 1, 2), _pick(rng, nd, [0.5, 0.4, 0.1]))
    ua_key = np.array([p * 3 + t for p, t, _ in UA_STRINGS])
    ua_u = rng.random(nd)
    dev_ua = np.zeros(nd, dtype=np.int64)
    for key in np.unique(ua_key):
        cands = np.flatnonzero(ua_key == key)
        msk = platform * 3 + dtype_ == key
        dev_ua[msk] = cands[(ua_u[msk] * len(cands)).astype(np.int64)]
    return People(
        n=n, country=country, gender=gender, first=first, middle=middle, last=last, dob=dob, acq=acq,
        addr=[a1, a2], move_t=move_t, users=users, doms=doms, email_t=email_t, mob_type=mob_type,
        mob_nsn=mob_nsn, land_type=land_type, land_nsn=land_nsn, partner=partner,
        lam=rng.gamma(0.9, 2.4 / 0.9, n), pdrop=rng.beta(2.0, 9.0, n), spend=rng.gamma(5.0, 0.2, n),
        p_app=p_app, cat_cum=np.cumsum(catw, axis=1).astype(np.float32),
        eng_open=rng.beta(1.6, 3.5, n), eng_click=rng.beta(1.3, 6.0, n),
        card4=rng.integers(0, 10000, (n, 2)), card_brand=_pick(rng, 2 * n, [.55, .35, .10]).reshape(n, 2),
        dev_start=_group_starts(dev_n), dev_n=dev_n, dev_person=dev_person, dev_platform=platform,
        dev_type=dtype_, dev_ua=dev_ua)


# --------------------------------------------------------------------------------------
# Records in the person systems (CRM A, CRM B, shop customers, e-mail subscribers)
# --------------------------------------------------------------------------------------
SYSTEMS = ["shop", "crm_a", "crm_b", "subscribers"]
_PRESENCE = [0.70, 0.55, 0.30, 0.55]
_DUP_WEIGHT = [0.40, 0.30, 0.15, 0.15]
_LEARN_MOVE = {"shop": (0.75, 20), "crm_a": (0.50, 45), "crm_b": (0.25, 90), "subscribers": (0.0, 1)}
_LEARN_EMAIL = {"shop": (0.80, 10), "crm_a": (0.55, 30), "crm_b": (0.30, 60), "subscribers": (0.60, 15)}


@dataclass
class Records:
    """One system's person records over the whole time line (sorted by creation)."""

    system: str
    person: np.ndarray  # -1 for test accounts
    created: np.ndarray
    dup: np.ndarray  # second record of the same person in this system
    learn_move: np.ndarray  # when this record picks up the person's new address
    learn_email: np.ndarray  # when it picks up the new e-mail
    touch: np.ndarray  # another edit (opt-in flip, deactivation...) or NEVER
    email_alt: np.ndarray  # record uses the person's alternative e-mail
    test: np.ndarray
    status_t: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # subscribers only

    def __len__(self) -> int:
        return len(self.person)

    def modified(self, t_end: int) -> np.ndarray:
        m = self.created.copy()
        extra = [self.status_t] if len(self.status_t) else []
        for t in [self.learn_move, self.learn_email, self.touch, *extra]:
            m = np.where((t <= t_end) & (t > m), t, m)
        return m



def _learn(rng: np.random.Generator, created: np.ndarray, event_t: np.ndarray, p: float, lag_days: float) -> np.ndarray:
    n = len(created)
    lag = (rng.exponential(lag_days * DAY, n) + 3600).astype(np.int64)
    later = np.where(rng.random(n) < p, event_t + lag, NEVER)
    return np.where(event_t >= NEVER, NEVER, np.where(created >= event_t, created, later))


def _build_records(seed: int, ppl: People) -> dict[str, Records]:
    rng = _rng(seed, "records")
    n = ppl.n
    present = rng.random((n, 4)) < np.array(_PRESENCE)
    present[~present.any(1), 0] = True
    cnt = present.sum(1)
    k = (rng.random(n) * cnt).astype(np.int64)
    first_sys = np.argmax(np.cumsum(present, 1) > k[:, None], axis=1)
    created = ppl.acq[:, None] + rng.exponential(150 * DAY, (n, 4)).astype(np.int64)
    created[np.arange(n), first_sys] = ppl.acq
    dup_w = present * np.array(_DUP_WEIGHT)
    has_dup = rng.random(n) < 0.05
    dup_sys = np.argmax(np.cumsum(dup_w, 1) / dup_w.sum(1, keepdims=True) > rng.random(n)[:, None], axis=1)
    dup_created = created[np.arange(n), dup_sys] + (DAY + rng.exponential(250 * DAY, n)).astype(np.int64)
    out = {}
    for s, name in enumerate(SYSTEMS):
        base = np.flatnonzero(present[:, s] & (created[:, s] <= WORLD_END))
        dups = np.flatnonzero(has_dup & (dup_sys == s) & (dup_created <= WORLD_END))
        person = np.concatenate([base, dups])
        cr = np.concatenate([created[base, s], dup_created[dups]])
        dup = np.concatenate([np.zeros(len(base), bool), np.ones(len(dups), bool)])
        test = np.zeros(len(person), dtype=bool)
        if name == "shop":  # test accounts created by staff
            nt = max(3, round(0.002 * len(person)))
            person = np.concatenate([person, np.full(nt, -1)])
            cr = np.concatenate([cr, rng.integers(T_START, WORLD_END, nt)])
            dup = np.concatenate([dup, np.zeros(nt, bool)])
            test = np.concatenate([test, np.ones(nt, bool)])
        order = np.argsort(cr, kind="stable")
        person, cr, dup, test = person[order], cr[order], dup[order], test[order]
        pp = person.clip(0)
        lm = _learn(rng, cr, np.where(test, NEVER, ppl.move_t[pp]), *_LEARN_MOVE[name])
        le = _learn(rng, cr, np.where(test, NEVER, ppl.email_t[pp]), *_LEARN_EMAIL[name])
        touch = np.where(rng.random(len(person)) < 0.35, cr + rng.exponential(420 * DAY, len(person)).astype(np.int64),
                         NEVER)
        alt = np.where(dup, rng.random(len(person)) < 0.7, rng.random(len(person)) < (0.1 if name == "crm_b" else 0.02))
        out[name] = Records(name, person, cr, dup, lm, le, touch, alt & ~test, test)
    return out


# --------------------------------------------------------------------------------------
# Rendering a person as one system would have typed them in (the mess)
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mess:
    nick: float = 0.07
    typo_first: float = 0.012
    typo_last: float = 0.012
    fold: float = 0.25
    swap: float = 0.004
    miss_first: float = 0.008
    miss_last: float = 0.004
    upper: float = 0.02
    lower: float = 0.02
    odd: float = 0.003
    ws: float = 0.02
    plus: float = 0.0
    gdots: float = 0.05
    gmail_swap: float = 0.03
    email_case: float = 0.03
    email_ws: float = 0.01
    invalid: float = 0.01
    email_missing: float = 0.03
    phone_missing: float = 0.2
    mobile_missing: float = 0.3
    landline_pref: float = 0.7
    phone_junk: float = 0.003
    phone_fmt: tuple[float, ...] = (.15, .20, .30, .12, .03, .05, .05, .02, .04, .02, .02)
    abbr: float = 0.12
    street_typo: float = 0.012
    merge_line2: float = 0.0
    city_var: float = 0.03
    pc_nospace: float = 0.05
    pc_lower: float = 0.02


MESS = {
    "crm_a": Mess(miss_last=0.0, email_missing=0.05, phone_missing=0.15, mobile_missing=0.3, merge_line2=0.5),
    "crm_b": Mess(nick=0.08, typo_first=0.02, typo_last=0.02, swap=0.02, upper=0.03, lower=0.02, ws=0.02,
                  email_missing=0.08, invalid=0.015, phone_missing=0.25, mobile_missing=0.35,
                  phone_fmt=(.02, .10, .30, .20, .10, .03, .10, .05, .06, .02, .02), abbr=0.12,
                  street_typo=0.02, city_var=0.04, pc_nospace=0.06),
    "shop": Mess(nick=0.06, fold=0.3, miss_first=0.0, miss_last=0.0, plus=0.05, invalid=0.003,
                 email_missing=0.0, phone_missing=0.2, mobile_missing=1.0, landline_pref=0.2,
                 phone_fmt=(.45, .05, .10, .25, .0, .0, .0, .0, .0, .15, .0), abbr=0.08, city_var=0.02),
    "subscribers": Mess(nick=0.05, miss_first=0.12, miss_last=0.2, plus=0.05, invalid=0.004, email_missing=0.0,
                        abbr=0.0, city_var=0.0, pc_nospace=0.0, pc_lower=0.0, street_typo=0.0),
    "payments": Mess(nick=0.05, fold=0.9, upper=0.2, lower=0.01, ws=0.01, gdots=0.03, plus=0.02,
                     email_missing=0.02, phone_missing=0.3, mobile_missing=1.0, landline_pref=0.1,
                     phone_fmt=(.80, .0, .0, .20, .0, .0, .0, .0, .0, .0, .0), abbr=0.0, city_var=0.0,
                     street_typo=0.0),
    "tickets": Mess(nick=0.12, miss_last=0.1, lower=0.05, email_missing=0.1, invalid=0.01, phone_missing=0.6,
                    mobile_missing=1.0, landline_pref=0.3, abbr=0.0, city_var=0.0, pc_nospace=0.0, pc_lower=0.0,
                    street_typo=0.0, phone_fmt=(.05, .20, .35, .20, .05, .02, .05, .03, .03, .01, .01)),
}


def _render_phones(voc: Vocab, types: np.ndarray, nsn: np.ndarray, fmt: np.ndarray) -> pa.Array:
    """Render national numbers in one of PHONE_FORMATS each; null where nsn < 0."""
    pt = voc.phone_types
    n = len(nsn)
    ok = nsn >= 0
    lay = np.where(ok, pt.layout[np.where(ok, types, 0)], -1)
    parts: list[tuple[np.ndarray, pa.Array]] = [(np.flatnonzero(~ok), pa.nulls(int((~ok).sum()), pa.string()))]
    for li, (c, groups) in enumerate(pt.layouts):
        for f in range(len(PHONE_FORMATS)):
            rows = np.flatnonzero((lay == li) & (fmt == f))
            if not len(rows):
                continue
            mat = _digits(nsn[rows], sum(groups))
            g, pos = [], 0
            for width in groups:
                g.append(_sa(mat[:, pos:pos + width]))
                pos += width
            parts.append((rows, _phone_format(PHONE_FORMATS[f], c, g, _sa(mat))))
    return _scatter(n, parts)


def _phone_format(name: str, c: int, g: list[pa.Array], full: pa.Array) -> pa.Array:
    """One PHONE_FORMATS rendering from the number's digit groups `g` (full = all digits)."""

    def sp(sep: str, gs: list[pa.Array] = g) -> pa.Array:
        return pc.binary_join_element_wise(*gs, sep)

    if c == US:
        us_nat = _cat("(", g[0], ") ", g[1], "-", g[2])
        us = {"e164": ("+1", full), "intl_sp": ("+1 ", sp("-")), "nat_sp": (us_nat, ""), "nat_compact": (full, ""),
              "intl_00": ("+1-", sp("-")), "intl_p0": ("+1 ", us_nat), "dashed": (sp("-"), ""),
              "dotted": (sp("."), ""), "parens": ("1-", sp("-")), "nsn_only": ("1", full), "cc_sp": ("1 ", sp(" "))}
        return _cat(*us[name])
    cc, trunk = _CC[c], "0"
    rendered = {
        "e164": lambda: _cat("+" + cc, full), "intl_sp": lambda: _cat("+" + cc + " ", sp(" ")),
        "nat_sp": lambda: _cat(trunk, sp(" ")), "nat_compact": lambda: _cat(trunk, full),
        "intl_00": lambda: _cat("00" + cc, full), "intl_p0": lambda: _cat("+" + cc + " (0)", sp(" ")),
        "dashed": lambda: _cat(trunk, sp("-")), "dotted": lambda: _cat(trunk, sp(".")),
        "parens": lambda: _cat("(" + trunk, g[0], ") ", sp(" ", g[1:]) if len(g) > 2 else g[1]),
        "nsn_only": lambda: full, "cc_sp": lambda: _cat(cc + " ", sp(" ")),
    }
    return rendered[name]()


def _e164(voc: Vocab, types: np.ndarray, nsn: np.ndarray) -> pa.Array:
    return _render_phones(voc, types, nsn, np.zeros(len(nsn), dtype=np.int64))


def _render(w: World, key: str, person: np.ndarray, v2addr: np.ndarray, v2email: np.ndarray,
            email_alt: np.ndarray, rows: np.ndarray | None = None, full: bool = True) -> dict[str, Any]:
    """How system `key` holds these people. Codes are drawn per record from a stream named
    after `key`, so rendering the same records at another date keeps their spelling."""
    ppl, voc, mess = w.people, w.vocab, MESS[key if key in MESS else key.split(":")[0]]
    n_all = len(person)
    uni, ri = _render_codes(w.seed, key, n_all)
    if rows is not None:
        person, v2addr, v2email, email_alt, uni, ri = (person[rows], v2addr[rows], v2email[rows], email_alt[rows],
                                                    uni[rows], ri[rows])
    n = len(person)
    p = person.clip(0)
    country = ppl.country[p]

    # names
    fnames, lnames = voc.first, voc.last
    fi, li = ppl.first[p], ppl.last[p]
    nick = (uni[:, 0] < mess.nick) & (fnames.nick_n[fi] > 0)
    fidx = np.where(nick, fnames.nick_start[fi] + (uni[:, 1] * fnames.nick_n[fi]).astype(np.int64), fnames.canon[fi])
    tf = (uni[:, 2] < mess.typo_first) & ~nick
    tl = uni[:, 3] < mess.typo_last
    typo_k = (uni[:, 4] * 3).astype(np.int64)
    fidx = np.where(tf, fnames.typo_start[fi] + typo_k, fidx)
    lidx = np.where(tl, lnames.typo_start[li] + typo_k, lnames.canon[li])
    fold = uni[:, 5] < mess.fold
    fidx = np.where(fold & ~nick & ~tf, fnames.fold[fi], fidx)
    lidx = np.where(fold & ~tl, lnames.fold[li], lidx)
    folded = fold & ((fnames.fold[fi] != fnames.canon[fi]) | (lnames.fold[li] != lnames.canon[li]))
    first, last = _take(fnames.strings, fidx), _take(lnames.strings, lidx)
    swap = uni[:, 6] < mess.swap
    first, last = _where(swap, last, first), _where(swap, first, last)
    miss_f, miss_l = uni[:, 7] < mess.miss_first, uni[:, 8] < mess.miss_last
    first, last = _where(miss_f, NULL, first), _where(miss_l, NULL, last)
    c9 = uni[:, 9]
    up, lo = c9 < mess.upper, (c9 >= mess.upper) & (c9 < mess.upper + mess.lower)
    odd = (c9 >= mess.upper + mess.lower) & (c9 < mess.upper + mess.lower + mess.odd)
    for_case = [(up, pc.utf8_upper), (lo, pc.utf8_lower), (odd, pc.utf8_swapcase)]
    for msk, fn in for_case:
        if msk.any():
            first, last = _where(msk, fn(first), first), _where(msk, fn(last), last)
    ws = uni[:, 10] < mess.ws
    first = _where(ws & (ri[:, 0] % 2 == 0), _cat(" ", first), first)
    last = _where(ws & (ri[:, 0] % 2 == 1), _cat(last, "  "), last)

    # e-mail
    kind = np.where(email_alt, 2, np.where(v2email, 1, 0))
    src = kind * ppl.n + p
    user, dom = _take(ppl.users, src), ppl.doms[src]
    is_g = (dom == GMAIL) | (dom == GOOGLEMAIL)
    plus = uni[:, 11] < mess.plus
    user = _where(plus, _cat(user, "+", _take(_vocab(PLUS_TAGS), ri[:, 1] % len(PLUS_TAGS))), user)
    gd = is_g & (uni[:, 12] < mess.gdots)
    has_dot = pc.match_substring(user, ".").to_numpy(zero_copy_only=False)
    dotted = _cat(pc.utf8_slice_codeunits(user, 0, 1), ".", pc.utf8_slice_codeunits(user, 1))
    user = _where(gd, _where(has_dot, pc.replace_substring(user, ".", ""), dotted), user)
    gs = is_g & (uni[:, 13] < mess.gmail_swap)
    dom = np.where(gs, np.where(dom == GMAIL, GOOGLEMAIL, GMAIL), dom)
    dom_s = _take(DOMAIN_V, dom)
    email = _cat(user, "@", dom_s)
    ecase = uni[:, 14] < mess.email_case
    email = _where(ecase, _where(ri[:, 2] % 2 == 0, pc.utf8_capitalize(email), pc.utf8_upper(email)), email)
    ews = uni[:, 14] > 1 - mess.email_ws
    email = _where(ews, _cat(email, " "), email)
    invalid = uni[:, 15] < mess.invalid
    if invalid.any():
        fl, ll = _take(fnames.ascii_lower, fi), _take(lnames.ascii_lower, li)
        bad = [_cat(user, "@"), _cat(fl, " ", ll, "@", dom_s), pa.array(["n/a"] * n),
               _cat(user, "@", pc.replace_substring(dom_s, ".", "")), _cat(user, "@@", dom_s)]
        email = _where(invalid, _take(pa.concat_arrays(bad), (ri[:, 1] % 5) * n + np.arange(n)), email)
    email = _where(uni[:, 16] < mess.email_missing, NULL, email)
    if not full:
        return {"email": email}

    # phones
    has_land = ppl.land_nsn[p] >= 0
    use_land = has_land & (uni[:, 17] < mess.landline_pref)
    ptype = np.where(use_land, ppl.land_type[p], ppl.mob_type[p])
    pnsn = np.where(use_land, ppl.land_nsn[p], ppl.mob_nsn[p])
    cum = np.cumsum(mess.phone_fmt) / sum(mess.phone_fmt)
    fmt1 = np.searchsorted(cum, uni[:, 18], side="right").clip(0, len(cum) - 1)
    fmt2 = np.searchsorted(cum, uni[:, 19], side="right").clip(0, len(cum) - 1)
    pnsn = np.where(uni[:, 20] < mess.phone_missing, -1, pnsn)
    mnsn = np.where(uni[:, 21] < mess.mobile_missing, -1, ppl.mob_nsn[p])
    phone = _render_phones(voc, ptype, pnsn, fmt1)
    mobile = _render_phones(voc, ppl.mob_type[p], mnsn, fmt2)
    junk = (uni[:, 22] < mess.phone_junk) & (pnsn >= 0)
    phone = _where(junk, _take(_vocab(JUNK_PHONES), ri[:, 2] % len(JUNK_PHONES)), phone)

    # address at the version this record holds
    addrs = ppl.addr
    v2 = v2addr
    city = np.where(v2, addrs[1].city[p], addrs[0].city[p])
    street = np.where(v2, addrs[1].street[p], addrs[0].street[p])
    house = np.where(v2, addrs[1].house[p], addrs[0].house[p])
    line2n = np.where(v2, addrs[1].line2[p], addrs[0].line2[p])
    postcode = _take(pa.concat_arrays([addrs[0].postcode, addrs[1].postcode]), v2 * ppl.n + p)
    abbr = uni[:, 23] < mess.abbr
    styp = uni[:, 24] < mess.street_typo
    svar = np.where(styp, 3 + ri[:, 0] % 2, np.where(abbr, 1, np.where(fold, 2, 0)))
    street_s = _take(voc.street, street * 5 + svar)
    house_s = _int_str(house)
    line1 = _where(country == DE, _cat(street_s, " ", house_s), _cat(house_s, " ", street_s))
    line2 = _where(line2n > 0, _cat(_take(_vocab(["Flat ", "Apt ", "Apt ", "Whg. ", "Appt "]), country),
                                    _int_str(line2n)), NULL)
    merge = (uni[:, 25] < mess.merge_line2) & (line2n > 0)
    line1 = _where(merge, _cat(line2, ", ", line1), line1)
    line2 = _where(merge, NULL, line2)
    cvar = np.where(uni[:, 26] < mess.city_var, 1 + ri[:, 1] % 3, 0)
    city_s = _take(voc.city, city * 4 + cvar)
    pcs = uni[:, 27]
    nospace = pcs < mess.pc_nospace
    pclow = (pcs >= mess.pc_nospace) & (pcs < mess.pc_nospace + mess.pc_lower)
    postcode = _where(nospace, pc.replace_substring(postcode, " ", ""), postcode)
    postcode = _where(pclow, pc.utf8_lower(postcode), postcode)
    varied = (nick | tf | tl | folded | swap | miss_f | miss_l | up | lo | odd | ws | plus | gd | gs | ecase | ews
              | invalid | abbr | styp | (cvar > 0) | ((nospace | pclow) & np.isin(country, [GB, IE])))
    return {"first": first, "last": last, "email": email, "phone": phone, "mobile": mobile, "line1": line1,
            "line2": line2, "city": city_s, "city_idx": city, "postcode": postcode,
            "state": _take(voc.city_state, city), "state_full": _take(voc.city_state_full, city),
            "country": country, "dob": ppl.dob[p], "gender": ppl.gender[p], "middle": ppl.middle[p],
            "person": person, "varied": varied}


# --------------------------------------------------------------------------------------
# Products
# --------------------------------------------------------------------------------------
_DROPS = [_epoch(d) for d in ("2023-03-01T06:00:00", "2023-09-01T06:00:00", "2024-03-01T06:00:00",
                              "2024-09-01T06:00:00", "2025-03-01T06:00:00", "2025-09-01T06:00:00")]


@dataclass
class Products:
    n: int
    sku: list[str]
    name: list[str]
    category: np.ndarray
    brand: list[str]
    price_c: np.ndarray  # GBP pence, before any change
    new_price_c: np.ndarray
    change_t: np.ndarray
    created: np.ndarray
    cat_sorted: np.ndarray  # product indexes sorted by (category, price)
    cat_start: np.ndarray
    cat_n: np.ndarray
    fallback: np.ndarray  # a launch product of the same category and similar price
    pop_cum: np.ndarray

    def price_at(self, prod: np.ndarray, t: np.ndarray) -> np.ndarray:
        return np.where(t >= self.change_t[prod], self.new_price_c[prod], self.price_c[prod])


def _build_products(seed: int, people: int) -> Products:
    rng = _rng(seed, "products")
    n = int(np.clip(round(3.2 * np.sqrt(people)), 200, 2000))
    cat = np.sort(_pick(rng, n, _CATEGORY_P))
    names, skus, brands, price = [], [], [], np.zeros(n, dtype=np.int64)
    lines = rng.integers(0, len(_PRODUCT_LINES), n)
    colours = rng.integers(0, len(_COLOURS), n)
    brand_i = rng.integers(0, len(_BRANDS), n)
    noun_u = rng.random(n)
    price_u = rng.random(n)
    for i in range(n):
        cname = CATEGORIES[cat[i]]
        nouns = _PRODUCT_NOUNS[cname]
        noun, lo, hi = nouns[int(noun_u[i] * len(nouns))]
        names.append(f"{_PRODUCT_LINES[lines[i]]} {noun} - {_COLOURS[colours[i]]}")
        skus.append(f"NW-{cname[:3].upper()}-{i + 1:05d}")
        brands.append("Northwind Kids" if cname == "kids" else _BRANDS[brand_i[i]])
        price[i] = max(2, round(float(np.exp(np.log(lo) + price_u[i] * (np.log(hi) - np.log(lo)))))) * 100 - 1
    launch = rng.random(n) < 0.85
    created = np.where(launch, LEGACY_START + rng.integers(0, T_START - LEGACY_START, n),
                       np.array(_DROPS)[rng.integers(0, len(_DROPS), n)] + rng.integers(0, 3600, n))
    change = rng.random(n) < 0.12
    change_t = created + 60 * DAY + (rng.random(n) * (WORLD_END + 180 * DAY - created)).astype(np.int64)
    change_t = np.where(change, change_t, NEVER)
    new_price = (np.round(price * rng.uniform(0.75, 1.15, n) / 100) * 100 - 1).clip(99)
    order = np.lexsort((price, cat))
    cat_n = np.bincount(cat, minlength=len(CATEGORIES))
    fallback = np.arange(n)
    for i in np.flatnonzero(~launch):
        cands = np.flatnonzero(launch & (cat == cat[i]))
        cands = cands if len(cands) else np.flatnonzero(launch)
        fallback[i] = cands[np.argmin(np.abs(price[cands] - price[i]))]
    pop = _zipf(n, 1.0, 5)[rng.permutation(n)]
    return Products(n, skus, names, cat, brands, price, new_price, change_t, created, order, _group_starts(cat_n),
                    cat_n, fallback, np.cumsum(pop) / pop.sum())


# --------------------------------------------------------------------------------------
# E-mail campaigns and their events
# --------------------------------------------------------------------------------------
EMAIL_EVENTS = ["send", "delivered", "open", "click", "unsubscribe", "bounce"]
EE_SEND, EE_DELIV, EE_OPEN, EE_CLICK, EE_UNSUB, EE_BOUNCE = range(6)


@dataclass
class Campaigns:
    n: int
    send_at: np.ndarray
    channel: np.ndarray  # 0 email, 1 sms
    name: list[str]
    subject: list[str]
    frac: np.ndarray
    appeal: np.ndarray
    audience: np.ndarray
    cost_c: np.ndarray


def _build_campaigns(seed: int) -> Campaigns:
    """About 12 campaigns a quarter, themed by month."""
    rng = _rng(seed, "campaigns")
    sends, names, subjects, chans = [], [], [], []
    q = datetime(2023, 1, 1, tzinfo=UTC)
    while q.timestamp() < WORLD_END:
        nq = datetime(q.year + (q.month + 3 > 12), (q.month + 2) % 12 + 1, 1, tzinfo=UTC)
        days = (nq - q).days
        for d in np.sort(rng.choice(days, 12, replace=False)):
            t = int(q.timestamp()) + int(d) * DAY + int(rng.integers(7 * 3600, 11 * 3600))
            month = datetime.fromtimestamp(t, UTC).month
            year = datetime.fromtimestamp(t, UTC).year
            themes = _CAMPAIGN_THEMES[month]
            theme = themes[int(rng.integers(0, 2))] if rng.random() < 0.7 else _CAMPAIGN_GENERIC[
                int(rng.integers(0, len(_CAMPAIGN_GENERIC)))]
            sms = rng.random() < 0.1
            pct = int(rng.choice([10, 15, 20, 25, 30, 40, 50]))
            subj = [f"{theme}: up to {pct}% off", f"{theme} starts now", f"Just for you: {theme.lower()}",
                    f"Don't miss out - {theme}"][int(rng.integers(0, 4))]
            sends.append(t)
            names.append(f"{theme} {year}" + (" (SMS)" if sms else ""))
            subjects.append(subj)
            chans.append(int(sms))
        q = nq
    n = len(sends)
    order = np.argsort(sends, kind="stable")
    return Campaigns(n, np.array(sends, dtype=np.int64)[order], np.array(chans)[order],
                     [names[i] for i in order], [subjects[i] for i in order], rng.uniform(0.06, 0.3, n)[order],
                     rng.uniform(0.7, 1.3, n)[order], np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64))


@dataclass
class EmailEvents:
    sub: np.ndarray
    campaign: np.ndarray
    type: np.ndarray
    t: np.ndarray
    left_code: np.ndarray  # per subscriber: 0 subscribed, 1 unsubscribed, 2 cleaned (final)


def _render_codes(seed: int, key: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = _rng(seed, "render", key)
    return rng.random((n, 28), dtype=np.float32), rng.integers(0, 1 << 30, (n, 3))


def _simulate_email(seed: int, ppl: People, subs: Records, cps: Campaigns) -> EmailEvents:
    """Send each campaign to a segment of current subscribers; opens, clicks, unsubscribes
    and bounces depend on each person's engagement. Unsubscribed/cleaned addresses drop out."""
    rng = _rng(seed, "email")
    ns = len(subs)
    uni, _ = _render_codes(seed, "subscribers", ns)
    invalid = uni[:, 15] < MESS["subscribers"].invalid
    eo = ppl.eng_open[subs.person] * np.where(subs.dup, 0.5, 1.0)
    ec = ppl.eng_click[subs.person]
    dead = invalid | (rng.random(ns) < 0.01)
    left_t = np.full(ns, NEVER)
    left_code = np.zeros(ns, dtype=np.int8)
    out: list[tuple[np.ndarray, int, int, np.ndarray]] = []
    for c in range(cps.n):
        t = cps.send_at[c]
        elig = np.flatnonzero((subs.created <= t) & (left_t > t))
        sel = elig[rng.random(len(elig)) < np.clip(cps.frac[c] * (0.5 + eo[elig] / 0.31), 0, 1)]
        m = len(sel)
        cps.audience[c] = m
        send_t = t + rng.integers(0, 3600, m)
        bounce = dead[sel] | (rng.random(m) < 0.003)
        deliv = ~bounce
        deliv_t = send_t + rng.integers(1, 180, m)
        bounce_t = send_t + rng.integers(1, 600, m)
        if cps.channel[c] == 0:
            opened = deliv & (rng.random(m) < eo[sel] * cps.appeal[c])
            open_t = deliv_t + np.minimum(rng.exponential(6 * 3600, m), 5 * DAY).astype(np.int64)
            click = opened & (rng.random(m) < ec[sel])
            click_t = open_t + 5 + rng.exponential(90, m).astype(np.int64)
            unsub = (opened & (rng.random(m) < 0.006)) | (deliv & ~opened & (rng.random(m) < 0.0008))
            unsub_t = np.where(opened, open_t, deliv_t + rng.exponential(DAY, m).astype(np.int64)) + rng.integers(
                10, 600, m)
        else:
            opened = np.zeros(m, dtype=bool)
            open_t = deliv_t
            click = deliv & (rng.random(m) < ec[sel] * 0.4)
            click_t = deliv_t + rng.exponential(1200, m).astype(np.int64)
            unsub = deliv & (rng.random(m) < 0.004)
            unsub_t = deliv_t + rng.integers(60, 3600, m)
        cleaned = dead[sel]
        left_t[sel[cleaned]], left_code[sel[cleaned]] = bounce_t[cleaned], 2
        first_unsub = unsub & (left_t[sel] > unsub_t)
        left_t[sel[first_unsub]], left_code[sel[first_unsub]] = unsub_t[first_unsub], 1
        for typ, mask, tt in ((EE_SEND, np.ones(m, bool), send_t), (EE_BOUNCE, bounce, bounce_t),
                              (EE_DELIV, deliv, deliv_t), (EE_OPEN, opened, open_t), (EE_CLICK, click, click_t),
                              (EE_UNSUB, unsub, unsub_t)):
            out.append((sel[mask], c, typ, tt[mask]))
        cost = 0.0015 * m + 150 if cps.channel[c] == 0 else 0.035 * m + 80
        cps.cost_c[c] = round(cost * 100)
    subs.status_t = left_t  # unsubscribes/cleanings are edits of the subscriber records
    return EmailEvents(np.concatenate([o[0] for o in out]),
                       np.concatenate([np.full(len(o[0]), o[1], dtype=np.int32) for o in out]),
                       np.concatenate([np.full(len(o[0]), o[2], dtype=np.int8) for o in out]),
                       np.concatenate([o[3] for o in out]), left_code)


# --------------------------------------------------------------------------------------
# Orders: BG/NBD-like buying, seasonality, campaign-driven purchases
# --------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _season() -> tuple[np.ndarray, np.ndarray]:
    """Cumulative daily demand (weekly cycle, sales, Black Friday, Christmas) and its days."""
    day0 = T_START // DAY - 30
    days = np.arange(day0, WORLD_END // DAY + 800)
    y, m, d = _civil(days)
    dow = (days + 3) % 7  # 0 = Monday
    w = np.ones(len(days))
    w *= np.where(dow >= 5, 1.12, np.where(dow == 0, 1.08, 0.96))
    w *= np.select([m == 11, (m == 12) & (d <= 20), m == 12, m == 1, m == 2, m == 7],
                   [1.3, 1.5, 0.75, 1.2, 0.85, 1.1], 1.0)
    for yy in (2023, 2024, 2025, 2026):  # Black Friday to Cyber Monday
        thanksgiving = _nth_sunday(yy, 11, 4) - timedelta(days=3)
        bf = (int(_epoch(thanksgiving.strftime("%Y-%m-%dT00:00:00"))) // DAY) + 1
        w = np.where((days >= bf) & (days <= bf + 3), w * 2.2, w)
    cum = np.concatenate([[0.0], np.cumsum(w / w.mean())])
    return np.arange(day0, day0 + len(days) + 1, dtype=np.float64), cum


_HOURS = np.array([1, .6, .4, .3, .3, .4, .8, 1.5, 2.2, 2.6, 2.8, 3, 3.2, 3.1, 2.9, 2.8, 2.9, 3.1, 3.4, 3.8, 4, 3.6,
                   2.6, 1.6])


def _time_of_day(rng: np.random.Generator, n: int) -> np.ndarray:
    return _pick(rng, n, _HOURS) * 3600 + rng.integers(0, 3600, n)


@dataclass
class Orders:
    n: int
    acct: np.ndarray  # shop record index
    person: np.ndarray  # -1 for test accounts
    created: np.ndarray
    device: np.ndarray  # -1 for test orders
    channel: np.ndarray  # 0 web, 1 app
    campaign: np.ndarray  # -1 or campaign index
    cc: np.ndarray  # country (currency)
    cancel_t: np.ndarray
    ship_t: np.ndarray
    deliver_t: np.ndarray
    return_t: np.ndarray
    line_start: np.ndarray
    line_n: np.ndarray
    l_product: np.ndarray
    l_qty: np.ndarray
    l_unit_c: np.ndarray
    l_disc_c: np.ndarray
    subtotal_c: np.ndarray
    shipping_c: np.ndarray
    paid_c: np.ndarray  # what the customer really paid
    total_c: np.ndarray  # what the shop stored (bad for a few)
    test: np.ndarray

    def status_at(self, t_end: int) -> tuple[np.ndarray, np.ndarray]:
        s = np.zeros(self.n, dtype=np.int64)
        upd = self.created.copy()
        for code, t in ((1, self.ship_t), (2, self.deliver_t), (4, self.return_t), (3, self.cancel_t)):
            hit = t <= t_end
            s = np.where(hit, code, s)
            upd = np.where(hit & (t > upd), t, upd)
        return s, upd


def _build_orders(seed: int, ppl: People, shop: Records, prods: Products, cps: Campaigns, evs: EmailEvents,
                  subs: Records) -> Orders:
    rng = _rng(seed, "orders")
    acc = np.flatnonzero(~shop.test)
    pers = shop.person[acc]
    dup = shop.dup[acc]
    buyer = rng.random(len(acc)) < np.where(dup, 0.6, 0.8)
    lam = ppl.lam[pers] * np.where(dup, 0.3, 1.0)
    n_buys = np.where(buyer, rng.geometric(ppl.pdrop[pers]).clip(1, 40), 0)
    flat = np.repeat(np.arange(len(acc)), n_buys)
    grid, cum = _season()
    gap = rng.exponential(1.0, len(flat)) * 365.0 / lam[flat]
    first = _pos_in_group(n_buys) == 0
    at_signup = rng.random(len(acc)) < 0.7
    at_signup &= shop.created[acc] >= T_START
    gap = np.where(first & at_signup[flat], 0.0, gap)
    created_days = np.maximum(shop.created[acc], T_START) / DAY
    op = np.interp(created_days, grid, cum)[flat] + _group_cumsum(gap, n_buys)
    days = np.floor(np.interp(op, cum, grid)).astype(np.int64)
    t = days * DAY + _time_of_day(rng, len(flat))
    t = np.where(first & at_signup[flat], shop.created[acc][flat] + rng.integers(60, 900, len(flat)), t)
    t = np.maximum(t, shop.created[acc][flat] + 60)
    base_acct = acc[flat]
    keep = t <= WORLD_END
    base_acct, base_t = base_acct[keep], t[keep]

    # clicks raise the chance to buy for a few days: those orders carry the campaign
    primary = np.full(ppl.n, -1, dtype=np.int64)
    prim_rows = np.flatnonzero(~shop.dup & ~shop.test)
    primary[shop.person[prim_rows]] = prim_rows
    ci = np.flatnonzero(evs.type == EE_CLICK)
    cperson = subs.person[evs.sub[ci]]
    cacct = primary[cperson]
    conv_t = evs.t[ci] + np.minimum(rng.exponential(20 * 3600, len(ci)), 6 * DAY).astype(np.int64) + 60
    conv = (cacct >= 0) & (rng.random(len(ci)) < 0.12)
    conv &= (shop.created[cacct.clip(0)] <= evs.t[ci]) & (conv_t <= WORLD_END)
    camp_acct, camp_t, camp_c = cacct[conv], conv_t[conv], evs.campaign[ci][conv]

    test_rows = np.flatnonzero(shop.test)
    tk = rng.integers(1, 4, len(test_rows))
    test_acct = np.repeat(test_rows, tk)
    test_t = shop.created[test_acct] + rng.integers(600, 200 * DAY, len(test_acct))
    tkeep = test_t <= WORLD_END
    test_acct, test_t = test_acct[tkeep], test_t[tkeep]

    acct = np.concatenate([base_acct, camp_acct, test_acct])
    created = np.concatenate([base_t, camp_t, test_t])
    campaign = np.concatenate([np.full(len(base_t), -1), camp_c, np.full(len(test_t), -1)])
    order = np.argsort(created, kind="stable")
    acct, created, campaign = acct[order], created[order], campaign[order]
    n = len(acct)
    test = shop.test[acct]
    person = np.where(test, -1, shop.person[acct])
    pp = person.clip(0)
    dev = ppl.dev_start[pp] + (rng.random(n) * ppl.dev_n[pp]).astype(np.int64)
    device = np.where(test, -1, dev)
    channel = np.where(test, 0, (ppl.dev_platform[dev] > 0).astype(np.int64))
    cc = np.where(test, GB, ppl.country[pp])

    # lines: category preference, price level from the spend level, availability at the time
    line_n = 1 + _pick(rng, n, [.45, .28, .15, .08, .04])
    line_start = _group_starts(line_n)
    lo = np.repeat(np.arange(n), line_n)
    n_lines = len(lo)
    lperson = pp[lo]
    cat = (rng.random(n_lines)[:, None] > ppl.cat_cum[lperson]).sum(1).clip(0, len(CATEGORIES) - 1)
    z = 1.2 * np.log(ppl.spend[lperson]) + rng.normal(0, 0.9, n_lines)
    q = 1.0 / (1.0 + np.exp(-z))
    prod = prods.cat_sorted[prods.cat_start[cat] + (q * prods.cat_n[cat]).astype(np.int64).clip(
        0, prods.cat_n[cat] - 1)]
    lt = created[lo]
    prod = np.where(prods.created[prod] > lt, prods.fallback[prod], prod)
    qty = 1 + _pick(rng, n_lines, [.86, .10, .04])
    base = prods.price_at(prod, lt)
    lcc = cc[lo]
    unit = np.where(lcc == GB, base, (np.round(base * FX[lcc] / 100) * 100 - 1).astype(np.int64))
    has_disc = rng.random(n_lines) < np.where(campaign[lo] >= 0, 0.5, 0.07)
    rate = np.array([0.10, 0.15, 0.20, 0.25])[rng.integers(0, 4, n_lines)]
    disc = np.where(has_disc, np.round(unit * qty * rate), 0).astype(np.int64)
    net = unit * qty - disc
    subtotal = np.add.reduceat(net, line_start) if n else np.zeros(0, dtype=np.int64)
    shipping = np.where(subtotal >= FREE_SHIP_C[cc], 0, SHIP_FEE_C[cc])
    paid = subtotal + shipping
    total = paid.copy()
    bad = np.zeros(n, dtype=bool)
    nb = min(n, max(1, round(0.002 * n))) if n else 0
    bad[rng.choice(n, nb, replace=False)] = True
    bad &= ~test
    total = np.where(bad, np.where(rng.random(n) < 0.5, -total, total * 100), total)
    total = np.where(test, np.where(rng.random(n) < 0.5, 1, 999_999), total)

    cancel = rng.random(n) < 0.03
    cancel_t = np.where(cancel, created + rng.integers(600, 20 * 3600, n), NEVER)
    ship_t = np.where(cancel, NEVER, created + rng.integers(4 * 3600, 48 * 3600, n))
    deliver_t = np.where(cancel, NEVER, ship_t + rng.integers(DAY, 5 * DAY, n))
    ret = ~cancel & (rng.random(n) < 0.08)
    return_t = np.where(ret, deliver_t + rng.integers(3 * DAY, 28 * DAY, n), NEVER)
    return Orders(n, acct, person, created, device, channel, campaign, cc, cancel_t, ship_t, deliver_t, return_t,
                  line_start, line_n, prod, qty, unit, disc, subtotal, shipping, paid, total, test)


# --------------------------------------------------------------------------------------
# Payments and refunds (payment gateway)
# --------------------------------------------------------------------------------------
@dataclass
class Payments:
    n: int
    created: np.ndarray
    order: np.ndarray  # -1 = orphan (no shop order)
    person: np.ndarray  # -1 = test account
    amount_c: np.ndarray
    cc: np.ndarray
    failed: np.ndarray
    failure: np.ndarray
    method: np.ndarray
    brand: np.ndarray  # -1 none
    last4: np.ndarray  # -1 none
    orphan_ref: np.ndarray
    amount_kind: np.ndarray  # 0 fine, 1 'N/A', 2 comma decimal
    email_alt: np.ndarray
    test: np.ndarray
    dup_of_order: np.ndarray  # second charge of an order (later refunded)


@dataclass
class Refunds:
    n: int
    created: np.ndarray
    payment: np.ndarray
    amount_c: np.ndarray
    cc: np.ndarray
    reason: np.ndarray
    status: np.ndarray  # 0 succeeded, 1 pending, 2 failed


_METHOD_P = {GB: [.55, .2, .1, .1, .05], IE: [.6, .2, .05, .1, .05], US: [.6, .15, .0, .15, .1],
             DE: [.3, .35, .25, .05, .05], FR: [.65, .2, .05, .05, .05]}


def _build_payments(seed: int, ppl: People, od: Orders, shop: Records) -> tuple[Payments, Refunds]:
    rng = _rng(seed, "payments")
    n = od.n
    ok_t = od.created + rng.integers(2, 90, n)
    fail = rng.random(n) < 0.04
    dupc = (rng.random(n) < 0.003) & ~od.test
    n_orph = max(1, round(0.005 * n)) if n else 0
    orph_person = rng.integers(0, ppl.n, n_orph)
    o0 = np.maximum(ppl.acq[orph_person], T_START)
    orph_t = o0 + (rng.random(n_orph) * (WORLD_END - o0)).astype(np.int64)
    f_idx, d_idx = np.flatnonzero(fail), np.flatnonzero(dupc)
    order = np.concatenate([np.arange(n), f_idx, d_idx, np.full(n_orph, -1)])
    created = np.concatenate([ok_t, od.created[f_idx] - rng.integers(30, 900, len(f_idx)),
                              ok_t[d_idx] + rng.integers(5, 120, len(d_idx)), orph_t])
    failed = np.concatenate([np.zeros(n, bool), np.ones(len(f_idx), bool), np.zeros(len(d_idx) + n_orph, bool)])
    dup_of = np.concatenate([np.zeros(n + len(f_idx), bool), np.ones(len(d_idx), bool), np.zeros(n_orph, bool)])
    srt = np.argsort(created, kind="stable")
    order, created, failed, dup_of = order[srt], created[srt], failed[srt], dup_of[srt]
    m = len(order)
    oo = order.clip(0)
    orphan = order < 0
    person = np.where(orphan, np.concatenate([np.zeros(n + len(f_idx) + len(d_idx), np.int64), orph_person])[srt],
                      od.person[oo])
    test = ~orphan & od.test[oo]
    pp = person.clip(0)
    cc = np.where(orphan, ppl.country[pp], od.cc[oo])
    amount = np.where(orphan, (rng.lognormal(4.0, 0.6, m) * 100).astype(np.int64), od.paid_c[oo])
    amount = np.where(test, od.total_c[oo], amount)
    method = np.zeros(m, dtype=np.int64)
    u = rng.random(m)
    for c, p in _METHOD_P.items():
        msk = cc == c
        method[msk] = np.searchsorted(np.cumsum(p), u[msk] * sum(p), side="right").clip(0, 4)
    dev = np.where(orphan, -1, od.device[oo])
    plat = np.where(dev >= 0, ppl.dev_platform[dev.clip(0)], 0)
    method = np.where((plat == 1) & (rng.random(m) < 0.4), 3, method)
    method = np.where((plat == 2) & (rng.random(m) < 0.3), 4, method)
    card = np.isin(method, [0, 3, 4])
    which = (rng.random(m) < 0.2).astype(np.int64)
    brand = np.where(card, ppl.card_brand[pp, which], -1)
    last4 = np.where(card, ppl.card4[pp, which], -1)
    failure = np.where(failed, _pick(rng, m, [.45, .25, .1, .1, .1]), -1)
    # gateway-side bad values
    kind = np.zeros(m, dtype=np.int64)
    nbad = max(1, round(0.002 * m)) if m else 0
    pick_bad = rng.choice(m, min(m, 2 * nbad), replace=False) if m else np.zeros(0, np.int64)
    amount[pick_bad[:nbad]] = np.where(rng.random(len(pick_bad[:nbad])) < 0.5, -amount[pick_bad[:nbad]],
                                       amount[pick_bad[:nbad]] * 1000)
    kind[pick_bad[nbad:]] = 1 + (rng.random(len(pick_bad[nbad:])) < 0.5)
    orphan_ref = rng.integers(90_000_000, 99_999_999, m)
    email_alt = ~orphan & ~test & shop.email_alt[od.acct[oo]]
    email_alt |= rng.random(m) < 0.03
    pay = Payments(m, created, order, np.where(test, -1, person), amount, cc, failed, failure, method, brand,
                   last4, orphan_ref, kind, email_alt & ~test, test, dup_of)

    # refunds of the successful charge of cancelled / returned / fraudulent orders, and double charges
    first_ok = np.full(n, -1, dtype=np.int64)
    okrows = np.flatnonzero(~failed & ~dup_of & ~orphan)
    first_ok[order[okrows]] = okrows
    ret_amt = np.where((od.line_n > 1) & (rng.random(n) < 0.5),
                       od.l_unit_c[od.line_start] * od.l_qty[od.line_start] - od.l_disc_c[od.line_start], od.paid_c)
    fraud = (rng.random(n) < 0.001) & (od.cancel_t >= NEVER) & ~od.test
    parts = [
        (np.flatnonzero(od.cancel_t < NEVER), lambda i: od.cancel_t[i] + rng.integers(3600, 2 * DAY, len(i)),
         lambda i: od.paid_c[i], 0),
        (np.flatnonzero(od.return_t < NEVER), lambda i: od.return_t[i] + rng.integers(DAY, 5 * DAY, len(i)),
         lambda i: ret_amt[i], 3),
        (np.flatnonzero(fraud), lambda i: od.created[i] + rng.integers(2 * DAY, 20 * DAY, len(i)),
         lambda i: od.paid_c[i], 2),
    ]
    r_created, r_pay, r_amt, r_reason = [], [], [], []
    for idx, tf, af, reason in parts:
        idx = idx[first_ok[idx] >= 0]
        r_created.append(tf(idx))
        r_pay.append(first_ok[idx])
        r_amt.append(af(idx))
        r_reason.append(np.full(len(idx), reason))
    drows = np.flatnonzero(dup_of)
    r_created.append(created[drows] + rng.integers(DAY, 3 * DAY, len(drows)))
    r_pay.append(drows)
    r_amt.append(pay.amount_c[drows])
    r_reason.append(np.full(len(drows), 1))
    rc = np.concatenate(r_created)
    srt = np.argsort(rc, kind="stable")
    rp = np.concatenate(r_pay)[srt]
    k = len(rc)
    ref = Refunds(k, rc[srt], rp, np.abs(np.concatenate(r_amt)[srt]), cc[rp], np.concatenate(r_reason)[srt],
                  _pick(rng, k, [.97, .02, .01]))
    keep = ref.created <= WORLD_END
    return pay, Refunds(int(keep.sum()), ref.created[keep], ref.payment[keep], ref.amount_c[keep], ref.cc[keep],
                        ref.reason[keep], ref.status[keep])


# --------------------------------------------------------------------------------------
# Support tickets
# --------------------------------------------------------------------------------------
@dataclass
class Tickets:
    n: int
    person: np.ndarray
    created: np.ndarray
    channel: np.ndarray
    category: np.ndarray
    priority: np.ndarray
    order: np.ndarray
    open_t: np.ndarray
    pending_t: np.ndarray
    solved_t: np.ndarray
    closed_t: np.ndarray
    csat: np.ndarray  # 0 = none
    csat_t: np.ndarray
    csat_bad: np.ndarray
    tz: np.ndarray
    subject: np.ndarray
    ref_style: np.ndarray
    email_alt: np.ndarray

    def status_at(self, t_end: int) -> tuple[np.ndarray, np.ndarray]:
        s = np.zeros(self.n, dtype=np.int64)
        upd = self.created.copy()
        for code, t in ((1, self.open_t), (2, self.pending_t), (3, self.solved_t), (4, self.closed_t)):
            hit = t <= t_end
            s = np.where(hit & (code > s), code, s)
            upd = np.where(hit & (t > upd), t, upd)
        upd = np.where((self.csat_t <= t_end) & (self.csat_t > upd), self.csat_t, upd)
        return s, upd


_SUBJECTS = [s for c in TICKET_CATEGORIES for s in _TICKET_SUBJECTS[c]]
_SUBJ_START = np.cumsum([0] + [len(_TICKET_SUBJECTS[c]) for c in TICKET_CATEGORIES])


def _build_tickets(seed: int, ppl: People, shop: Records, od: Orders) -> Tickets:
    rng = _rng(seed, "tickets")
    is_cust = np.zeros(ppl.n, dtype=bool)
    is_cust[shop.person[~shop.test]] = True
    req = np.flatnonzero(np.where(is_cust, rng.random(ppl.n) < 0.25, rng.random(ppl.n) < 0.03))
    k = 1 + rng.poisson(0.45, len(req))
    person = np.repeat(req, k)
    n = len(person)
    # orders by person, to tie tickets to a real order
    real = np.flatnonzero(~od.test)
    by_p = real[np.argsort(od.person[real], kind="stable")]
    cnt = np.bincount(od.person[real], minlength=ppl.n)
    start = _group_starts(cnt)
    linked = (cnt[person] > 0) & (rng.random(n) < 0.6)
    oi = by_p[(start[person] + (rng.random(n) * cnt[person]).astype(np.int64)).clip(0, max(0, len(by_p) - 1))] \
        if len(by_p) else np.zeros(n, np.int64)
    order = np.where(linked, oi, -1)
    t_link = od.created[order.clip(0)] + rng.integers(3600, 14 * DAY, n) if od.n else np.zeros(n, np.int64)
    a0 = np.maximum(ppl.acq[person], T_START)
    t_free = a0 + (rng.random(n) * (WORLD_END - a0)).astype(np.int64)
    created = np.where(linked, t_link, t_free)
    keep = created <= WORLD_END
    person, created, order, linked = person[keep], created[keep], order[keep], linked[keep]
    srt = np.argsort(created, kind="stable")
    person, created, order, linked = person[srt], created[srt], order[srt], linked[srt]
    n = len(person)
    cat = np.where(linked, _pick(rng, n, [.4, .3, .15, .15, 0, 0]), _pick(rng, n, [0, 0, .15, .25, .35, .25]))
    subj = _SUBJ_START[cat] + (rng.random(n) * (_SUBJ_START[cat + 1] - _SUBJ_START[cat])).astype(np.int64)
    open_t = created + rng.integers(600, 8 * 3600, n)
    pend = rng.random(n) < 0.3
    pending_t = np.where(pend, open_t + rng.integers(3600, 2 * DAY, n), NEVER)
    solved = rng.random(n) < 0.95
    solved_t = np.where(solved, np.where(pend, pending_t, open_t) + rng.exponential(2 * DAY, n).astype(np.int64),
                        NEVER)
    closed_t = np.where(solved, solved_t + 4 * DAY, NEVER)
    rated = solved & (rng.random(n) < 0.45)
    csat = np.where(rated, 1 + _pick(rng, n, [.10, .08, .12, .25, .45]), 0)
    csat_t = np.where(rated, solved_t + rng.integers(3600, 2 * DAY, n), NEVER)
    csat_bad = rated & (rng.random(n) < 0.02)
    country = ppl.country[person]
    tz = np.select([country == US, np.isin(country, [DE, FR])], [TZ_US, TZ_CET], TZ_UK)
    tz = np.where(rng.random(n) < 0.1, rng.integers(0, 3, n), tz)
    return Tickets(n, person, created, _pick(rng, n, [.4, .2, .25, .15]), cat, _pick(rng, n, [.2, .6, .15, .05]),
                   order, open_t, pending_t, solved_t, closed_t, csat, csat_t, csat_bad, tz, subj,
                   np.where(rng.random(n) < 0.05, rng.integers(1, 4, n), 0), rng.random(n) < 0.1)


# --------------------------------------------------------------------------------------
# Web and app sessions (events are expanded per batch, per part)
# --------------------------------------------------------------------------------------
SK_PURCHASE, SK_BROWSE, SK_CLICK, SK_ANON = range(4)


@dataclass
class Sessions:
    n: int
    anchor: np.ndarray  # order time (anchor_end) or session start
    anchor_end: np.ndarray
    kind: np.ndarray
    device: np.ndarray
    customer: np.ndarray  # shop customer_id or -1
    login: np.ndarray
    login_pos: np.ndarray
    app: np.ndarray
    npv: np.ndarray
    nprod: np.ndarray
    ncart: np.ndarray
    checkout: np.ndarray
    done: np.ndarray
    order: np.ndarray
    utm: np.ndarray
    campaign: np.ndarray
    n_events: np.ndarray
    dev_platform: np.ndarray  # devices incl. anonymous visitors
    dev_type: np.ndarray
    dev_ua: np.ndarray


def _build_sessions(seed: int, ppl: People, shop: Records, od: Orders, evs: EmailEvents, subs: Records) -> Sessions:
    rng = _rng(seed, "sessions")
    cols: dict[str, list[np.ndarray]] = {k: [] for k in ("anchor", "anchor_end", "kind", "device", "customer",
                                                         "login", "npv", "nprod", "ncart", "checkout", "done",
                                                         "order", "utm", "campaign")}

    def add(**kw: np.ndarray) -> None:
        m = len(kw["anchor"])
        for k in cols:
            v = kw.get(k)
            cols[k].append(np.broadcast_to(v if v is not None else -1, (m,)).astype(np.int64))

    def rand_device(person: np.ndarray) -> np.ndarray:
        return ppl.dev_start[person] + (rng.random(len(person)) * ppl.dev_n[person]).astype(np.int64)

    customer_id = np.arange(1, len(shop) + 1)
    real = np.flatnonzero(~od.test)
    m = len(real)
    add(anchor=od.created[real], anchor_end=np.ones(m), kind=np.full(m, SK_PURCHASE), device=od.device[real],
        customer=customer_id[od.acct[real]], login=np.ones(m), npv=1 + rng.poisson(0.5, m),
        nprod=od.line_n[real] + rng.poisson(0.6, m), ncart=od.line_n[real], checkout=np.ones(m), done=np.ones(m),
        order=real, utm=np.where(od.campaign[real] >= 0, UTM_EMAIL, _pick(rng, m, UTM_P)),
        campaign=od.campaign[real])
    # browsing by shop customers, more for frequent buyers
    accts = np.flatnonzero(~shop.test)
    n_orders = np.bincount(od.acct[real], minlength=len(shop))[accts]
    last_t = np.full(len(shop), -1, dtype=np.int64)
    np.maximum.at(last_t, od.acct[real], od.created[real])
    a_start = np.maximum(shop.created[accts], T_START)
    a_end = np.minimum(WORLD_END, np.maximum(last_t[accts], a_start) + 150 * DAY)
    k = rng.poisson(0.4 + 0.6 * n_orders)
    a = np.repeat(accts, k)
    m = len(a)
    grp = np.repeat(np.arange(len(accts)), k)
    t = a_start[grp] + (rng.random(m) * (a_end - a_start)[grp]).astype(np.int64)
    dev = rand_device(shop.person[a])
    app = ppl.dev_platform[dev] > 0
    ncart = (rng.random(m) < 0.12).astype(np.int64)
    add(anchor=t, anchor_end=np.zeros(m), kind=np.full(m, SK_BROWSE), device=dev, customer=customer_id[a],
        login=app | (rng.random(m) < 0.3), npv=1 + rng.poisson(0.6, m), nprod=rng.poisson(1.3, m), ncart=ncart,
        checkout=ncart * (rng.random(m) < 0.3), done=np.zeros(m), utm=_pick(rng, m, UTM_P))
    # landing sessions from e-mail clicks
    primary = np.full(ppl.n, -1, dtype=np.int64)
    prim_rows = np.flatnonzero(~shop.dup & ~shop.test)
    primary[shop.person[prim_rows]] = prim_rows
    ci = np.flatnonzero(evs.type == EE_CLICK)
    cp = subs.person[evs.sub[ci]]
    m = len(ci)
    ca = primary[cp]
    known = (ca >= 0) & (shop.created[ca.clip(0)] <= evs.t[ci])
    dev = rand_device(cp)
    app = ppl.dev_platform[dev] > 0
    add(anchor=evs.t[ci] + rng.integers(1, 20, m), anchor_end=np.zeros(m), kind=np.full(m, SK_CLICK), device=dev,
        customer=np.where(known, customer_id[ca.clip(0)], -1), login=known & (app | (rng.random(m) < 0.3)),
        npv=np.ones(m), nprod=rng.poisson(1.2, m), ncart=(rng.random(m) < 0.1).astype(np.int64),
        checkout=np.zeros(m), done=np.zeros(m), utm=np.full(m, UTM_EMAIL), campaign=evs.campaign[ci])
    # people who never opened a shop account still browse (anonymously)
    non = np.flatnonzero(primary < 0)
    k = rng.poisson(0.8, len(non))
    pn = np.repeat(non, k)
    m = len(pn)
    a0 = np.maximum(ppl.acq[pn], T_START)
    t = a0 + (rng.random(m) * (WORLD_END - a0)).astype(np.int64)
    add(anchor=t, anchor_end=np.zeros(m), kind=np.full(m, SK_ANON), device=rand_device(pn), customer=np.full(m, -1),
        login=np.zeros(m), npv=1 + rng.poisson(0.8, m), nprod=rng.poisson(1.2, m), ncart=np.zeros(m),
        checkout=np.zeros(m), done=np.zeros(m), utm=_pick(rng, m, UTM_P))
    # anonymous-only visitors (never identified)
    nv = int(0.4 * ppl.n)
    base_dev = len(ppl.dev_person)
    vk = 1 + rng.poisson(0.3, nv)
    vd = base_dev + np.repeat(np.arange(nv), vk)
    m = len(vd)
    add(anchor=T_START + (rng.random(m) * (WORLD_END - T_START)).astype(np.int64), anchor_end=np.zeros(m),
        kind=np.full(m, SK_ANON), device=vd, customer=np.full(m, -1), login=np.zeros(m),
        npv=1 + rng.poisson(0.5, m), nprod=rng.poisson(0.8, m), ncart=np.zeros(m), checkout=np.zeros(m),
        done=np.zeros(m), utm=_pick(rng, m, UTM_P))
    vplat = np.where(rng.random(nv) < 0.1, 1 + (rng.random(nv) < 0.5), 0)
    vtype = np.where(vplat > 0, 1, _pick(rng, nv, [0.45, 0.45, 0.1]))
    ua_key = np.array([p * 3 + t for p, t, _ in UA_STRINGS])
    vua = np.zeros(nv, dtype=np.int64)
    ua_u = rng.random(nv)
    for key in np.unique(ua_key):
        cands = np.flatnonzero(ua_key == key)
        msk = vplat * 3 + vtype == key
        vua[msk] = cands[(ua_u[msk] * len(cands)).astype(np.int64)]
    dev_platform = np.concatenate([ppl.dev_platform, vplat])
    dev_type = np.concatenate([ppl.dev_type, vtype])
    dev_ua = np.concatenate([ppl.dev_ua, vua])

    s = {k: np.concatenate(v) for k, v in cols.items()}
    order = np.argsort(s["anchor"], kind="stable")
    s = {k: v[order] for k, v in s.items()}
    n = len(order)
    app = (dev_platform[s["device"]] > 0).astype(np.int64)
    login = s["login"] > 0
    n_base = app + s["npv"] + s["nprod"] + s["ncart"] + s["checkout"] + s["done"]
    upto = np.where(s["kind"] == SK_PURCHASE, app + s["npv"] + s["nprod"] + s["ncart"], n_base)
    lpos = np.where(app > 0, 1, (rng.random(n) * (upto + 1)).astype(np.int64).clip(0, upto))
    lpos = np.where((s["kind"] == SK_PURCHASE) & (app == 0), lpos.clip(1), lpos)
    return Sessions(n, s["anchor"], s["anchor_end"] > 0, s["kind"], s["device"], s["customer"], login, lpos,
                    app > 0, s["npv"], s["nprod"], s["ncart"], s["checkout"] > 0, s["done"] > 0, s["order"],
                    s["utm"], s["campaign"], (n_base + login).astype(np.int64), dev_platform, dev_type, dev_ua)


# --------------------------------------------------------------------------------------
# The world
# --------------------------------------------------------------------------------------
@dataclass
class World:
    seed: int
    n: int
    vocab: Vocab
    people: People
    records: dict[str, Records]
    products: Products
    campaigns: Campaigns
    email: EmailEvents
    orders: Orders
    payments: Payments
    refunds: Refunds
    tickets: Tickets
    sessions: Sessions


def build_world(seed: int, people: int, log: Callable[[str], None] = lambda s: None) -> World:
    """Everything that happens from 2023-01-01 to 2025-09-30, from (seed, people) alone."""
    t0 = time.perf_counter()
    voc = _build_vocab()
    ppl = _build_people(seed, people, voc)
    recs = _build_records(seed, ppl)
    prods = _build_products(seed, people)
    cps = _build_campaigns(seed)
    evs = _simulate_email(seed, ppl, recs["subscribers"], cps)
    od = _build_orders(seed, ppl, recs["shop"], prods, cps, evs, recs["subscribers"])
    pay, ref = _build_payments(seed, ppl, od, recs["shop"])
    tix = _build_tickets(seed, ppl, recs["shop"], od)
    ses = _build_sessions(seed, ppl, recs["shop"], od, evs, recs["subscribers"])
    log(f"[generate] world: {people:,} people, {od.n:,} orders, {len(evs.t):,} e-mail events, {ses.n:,} web sessions "
        f"in {time.perf_counter() - t0:.1f}s")
    return World(seed, people, voc, ppl, recs, prods, cps, evs, od, pay, ref, tix, ses)


# --------------------------------------------------------------------------------------
# Writing a batch
# --------------------------------------------------------------------------------------
@dataclass
class Emit:
    out: Path
    batch: int
    files: dict[str, int] = field(default_factory=dict)
    tables: dict[str, dict[str, int]] = field(default_factory=dict)
    gt: list[pa.Table] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    log: Callable[[str], None] = print

    @property
    def start(self) -> int:
        return BATCH_START[self.batch]

    @property
    def end(self) -> int:
        return BATCH_END[self.batch]

    @property
    def rec_start(self) -> int:
        """Records created or modified from here on belong to the batch (batch 1: initial full load)."""
        return 0 if self.batch == 1 else BATCH_START[self.batch]

    def window(self, t: np.ndarray) -> np.ndarray:
        return (t >= self.start) & (t <= self.end)

    def path(self, rel: str) -> Path:
        p = self.out / "sources" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def varied(self, system: str, rendered: dict[str, Any]) -> None:
        """Share of this batch's records of `system` carrying at least one variation (manifest stats)."""
        v = rendered["varied"]
        self.stats[f"varied_share_{system}"] = float(v.mean()) if len(v) else 0.0

    def done(self, rel: str, rows: int, t0: float) -> None:
        self.files[rel] = rows
        self.log(f"[generate] {rel}: {rows:,} rows in {time.perf_counter() - t0:.1f}s")


def _some(mask: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Deliberate bad data must exist even at tiny scales: force at least one row."""
    if len(mask) and not mask.any():
        mask = mask.copy()
        mask[int(np.argmin(score))] = True
    return mask


def _dup_order(rng: np.random.Generator, n: int, rate: float = 0.01) -> np.ndarray:
    """Row order with ~rate exact duplicates, each right after its original."""
    if n < 2:
        return np.arange(n)
    dup = np.zeros(n, dtype=np.int64)
    dup[rng.choice(n, min(n, max(1, round(rate * n))), replace=False)] = 1
    return np.repeat(np.arange(n), 1 + dup)


def _pid(person: np.ndarray) -> pa.Array:
    return _where(person >= 0, _cat("P", _fixed_int(person.clip(0) + 1, 8)), NULL)


def _add_gt(em: Emit, system: str, table: str, ids: pa.Array, person: np.ndarray) -> None:
    em.gt.append(pa.table({
        "source_system": pa.array([system] * len(ids), pa.string()),
        "source_table": pa.array([table] * len(ids), pa.string()),
        "source_record_id": ids.cast(pa.string()),
        "person_id": _pid(person),
        "is_test_account": pa.array(person < 0),
    }))


def _jv(a: pa.Array) -> pa.Array:
    """JSON text of a string column (null stays null)."""
    a = pc.replace_substring(pc.replace_substring(a, "\\", "\\\\"), '"', '\\"')
    a = pc.replace_substring(a, "\n", "\\n")
    return pc.fill_null(_cat('"', a, '"'), "null")


def _jobj(fields: list[tuple[str, pa.Array]]) -> pa.Array:
    parts: list[Any] = []
    for i, (k, v) in enumerate(fields):
        parts += [("{" if i == 0 else ", ") + json.dumps(k) + ": ", v]
    return _cat(*parts, "}")


def _write_lines(path: Path, lines: pa.Array, tail: bytes = b"") -> None:
    """Write a string array as text lines straight from Arrow buffers."""
    with open(path, "wb") as f:
        step = 250_000
        for i in range(0, len(lines), step):
            chunk = _cat(lines.slice(i, step), "\n")
            off = np.frombuffer(chunk.buffers()[1], dtype=np.int32)
            f.write(memoryview(chunk.buffers()[2])[off[0]:off[len(chunk)]])
        f.write(tail)


def _truncate_jsonl(line: str) -> bytes:
    b = line.encode()
    return b[: max(10, int(len(b) * 0.6))]


def _truncate_csv(line: bytes) -> bytes:
    """Cut a CSV line mid-record; never inside a quoted field, so the line ends after a comma."""
    cut = max(5, int(len(line) * 0.6))
    quote_open = line[:cut].count(b'"') % 2 == 1
    if quote_open:
        cut = line[:cut].rfind(b'"')
    return line[:cut]


def _write_csv(path: Path, table: pa.Table, truncate_last: bool = False) -> int:
    opts = pacsv.WriteOptions(quoting_style="needed")
    n = table.num_rows
    body = table.slice(0, n - 1) if truncate_last and n > 1 else table
    with open(path, "wb") as f:
        pacsv.write_csv(body, f, opts)
        if truncate_last and n > 1:
            buf = io.BytesIO()
            pacsv.write_csv(table.slice(n - 1), buf, pacsv.WriteOptions(quoting_style="needed", include_header=False))
            f.write(_truncate_csv(buf.getvalue().rstrip(b"\n")))
    return n


def _name(first: pa.Array, last: pa.Array) -> pa.Array:
    # (not null_handling="skip": pyarrow 26 drops rows whose inputs are all null)
    f_null = pc.is_null(first).to_numpy(zero_copy_only=False)
    l_null = pc.is_null(last).to_numpy(zero_copy_only=False)
    return _where(f_null, last, _where(l_null, first, _cat(first, " ", last)))


def _country_text(country: np.ndarray, u: np.ndarray, p_alt: float) -> pa.Array:
    names = [COUNTRY_NAMES[c] for c in range(5)]
    flat = _vocab([s for lst in names for s in lst])
    start = np.cumsum([0] + [len(lst) for lst in names])
    cnt = np.array([len(lst) for lst in names])
    alt = u < p_alt
    k = np.where(alt, 1 + (u / max(p_alt, 1e-9) * (cnt[country] - 1)).astype(np.int64).clip(0, cnt[country] - 2), 0)
    return _take(flat, start[country] + k)


def _iso2(country: np.ndarray) -> pa.Array:
    return _take(_vocab(COUNTRIES), country)


def _order_number(order: np.ndarray) -> pa.Array:
    return _cat("NW-", _fixed_int(order + 1_000_001, 7))


def _test_identity(acct: np.ndarray) -> dict[str, pa.Array]:
    k = acct % 4
    return {"first": _take(_vocab(["Test", "QA", "Test", "Do Not"]), k),
            "last": _take(_vocab(["User", "Tester", "Test", "Use"]), k),
            "email": _cat(_take(_vocab(["test+", "qa.team+", "test+", "dev+"]), k), _int_str(acct), "@" + SHOP_DOMAIN)}


# --- CRM A ----------------------------------------------------------------------------
_SF_CHK = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", dtype=np.uint8)


def _sf_ids(seq: np.ndarray) -> pa.Array:
    """18-character Salesforce ids: 003 (Contact) prefix, base62 counter, case-safe checksum."""
    n = len(seq)
    m = np.empty((n, 18), dtype=np.uint8)
    m[:, :10] = np.frombuffer(b"0035g00000", dtype=np.uint8)
    m[:, 10:15] = _b62_mat(seq.astype(np.uint64), 5)
    upper = (m[:, :15] >= 65) & (m[:, :15] <= 90)
    for k in range(3):
        bits = (upper[:, 5 * k:5 * k + 5] * (1 << np.arange(5))).sum(1)
        m[:, 15 + k] = _SF_CHK[bits]
    return _sa(m)


_SF_TIME = "%Y-%m-%dT%H:%M:%S.000+0000"
_BAD_DATES = ["2024-13-45T25:61:00.000+0000", "31/02/2024", "not a date", "0000-00-00T00:00:00.000+0000"]


def _emit_crm_a(w: World, em: Emit) -> None:
    t0 = time.perf_counter()
    recs, t_end = w.records["crm_a"], em.end
    ex = _rng(w.seed, "extra", "crm_a")
    xs = ex.random((len(recs), 8))
    seq = 3_000_000 + np.cumsum(ex.integers(1, 40, len(recs)))
    rows = np.flatnonzero(recs.created <= t_end)
    f = _render(w, "crm_a", recs.person, recs.learn_move <= t_end, recs.learn_email <= t_end, recs.email_alt, rows)
    x = xs[rows]
    ids = _sf_ids(seq[rows])
    sal = np.where(f["gender"] == 0, np.where(x[:, 0] < 0.5, 1, 2), 0)
    sal = np.where(x[:, 0] > 0.97, 3, np.where(x[:, 1] < 0.2, 4, sal))
    salutation = _take(_vocab(["Mr.", "Ms.", "Mrs.", "Dr.", None]), sal)
    street = _where(pc.is_null(f["line2"]).to_numpy(zero_copy_only=False), f["line1"],
                    _cat(f["line2"], "\n", f["line1"]))
    addr = _jobj([("street", _jv(street)), ("city", _jv(f["city"])), ("state", _jv(f["state"])),
                  ("postalCode", _jv(f["postcode"])), ("country", _jv(_country_text(f["country"], x[:, 2], 0.15)))])
    lead = _take(_vocab(["Web", "Phone Inquiry", "Partner Referral", "Trade Show", "Other", None]),
                 _pick(ex, len(recs), [.4, .15, .1, .05, .1, .2])[rows])
    birth = _where(x[:, 3] < 0.55, _fmt_time(f["dob"] * DAY, "%Y-%m-%d"), NULL)
    modified = recs.modified(t_end)[rows]
    deleted = (recs.touch[rows] <= t_end) & (x[:, 4] < 0.1)
    created = _fmt_time(recs.created[rows], _SF_TIME)
    bad_date = _some(x[:, 5] < 0.0005, x[:, 5])
    created = _where(bad_date, _take(_vocab(_BAD_DATES), (x[:, 6] * len(_BAD_DATES)).astype(np.int64)), created)
    keyless = _some(x[:, 7] < 0.001, x[:, 7])
    lines = _jobj([
        ("Id", _jv(ids)), ("Salutation", _jv(salutation)), ("FirstName", _jv(f["first"])),
        ("LastName", _jv(pc.fill_null(f["last"], "Unknown"))), ("Email", _jv(f["email"])),
        ("Phone", _jv(f["phone"])), ("MobilePhone", _jv(f["mobile"])), ("Birthdate", _jv(birth)),
        ("MailingAddress", addr), ("LeadSource", _jv(lead)), ("CreatedDate", _jv(created)),
        ("LastModifiedDate", _jv(_fmt_time(modified, _SF_TIME))),
        ("IsDeleted", _where(deleted, "true", "false"))])
    no_id = pc.replace_substring_regex(_take(lines, np.flatnonzero(keyless)), r'^\{"Id": "[^"]*"', '{"Id": null')
    order = _dup_order(_rng(w.seed, "dups", "crm_a", str(em.batch)), len(rows))
    out = pa.concat_arrays([_take(lines, order), no_id])
    _write_lines(em.path("crm_a/contacts.jsonl"), out)
    in_batch = modified >= em.rec_start
    _add_gt(em, "crm_a", "contacts", _take(ids, np.flatnonzero(in_batch)), recs.person[rows][in_batch])
    em.varied("crm_a", f)
    em.done("crm_a/contacts.jsonl", len(out), t0)


# --- CRM B ----------------------------------------------------------------------------
def _guids(b: np.ndarray) -> pa.Array:
    n = len(b)
    h = np.empty((n, 32), dtype=np.uint8)
    h[:, 0::2] = _HEX[b >> 4]
    h[:, 1::2] = _HEX[b & 15]
    dash = np.full((n, 1), 45, dtype=np.uint8)
    return _sa(np.concatenate([h[:, :8], dash, h[:, 8:12], dash, h[:, 12:16], dash, h[:, 16:20], dash, h[:, 20:]], 1))


def _mixed_stamp(t: np.ndarray, choice: np.ndarray, country: np.ndarray) -> pa.Array:
    """Dynamics exports mixing ISO UTC, UK-local 'dd/mm/yyyy HH:MM' and offset timestamps."""
    eu = _in_dst(t, _EU_DST).astype(np.int64)
    tz = np.where(np.isin(country, [DE, FR]), TZ_CET, TZ_UK)
    opts = [_fmt_time(t, "%Y-%m-%dT%H:%M:%SZ"), _fmt_time(t + eu * 3600, "%d/%m/%Y %H:%M"),
            _fmt_local(t, tz, "%Y-%m-%d %H:%M:%S", z_for_utc=False)]
    return _take(pa.concat_arrays(opts), choice * len(t) + np.arange(len(t)))


def _mixed_date(days: np.ndarray, choice: np.ndarray) -> pa.Array:
    t = days * DAY
    opts = [_fmt_time(t, "%Y-%m-%d"), _fmt_time(t, "%m/%d/%Y"), _fmt_time(t, "%d.%m.%Y")]
    return _take(pa.concat_arrays(opts), choice * len(t) + np.arange(len(t)))


def _emit_crm_b(w: World, em: Emit) -> None:
    t0 = time.perf_counter()
    recs, t_end, ppl = w.records["crm_b"], em.end, w.people
    ex = _rng(w.seed, "extra", "crm_b")
    xs = ex.random((len(recs), 10))
    guid = ex.integers(0, 256, (len(recs), 16), dtype=np.uint8)
    modified_all = recs.modified(t_end)
    rows = np.flatnonzero((recs.created <= t_end) & (modified_all >= em.rec_start))
    f = _render(w, "crm_b", recs.person, recs.learn_move <= t_end, recs.learn_email <= t_end, recs.email_alt, rows)
    x, n = xs[rows], len(rows)
    ids = _guids(guid[rows])
    c = f["country"]
    sal_v = _vocab(["Mr", "Mrs", "Ms", "Miss", "Dr", "Herr", "Frau", "M.", "Mme"])
    sal = np.select([c == DE, c == FR], [np.where(f["gender"] == 1, 5, 6), np.where(f["gender"] == 1, 7, 8)],
                    np.where(f["gender"] == 1, 0, 1 + (x[:, 0] * 3).astype(np.int64)))
    salutation = _where(x[:, 1] < 0.3, NULL, _take(sal_v, sal))
    mid = f["middle"]
    mid_s = _take(w.vocab.first.strings, w.vocab.first.canon[mid.clip(0)])
    middle = _where(mid < 0, NULL, _where(x[:, 2] < 0.4, _cat(pc.utf8_slice_codeunits(mid_s, 0, 1), "."), mid_s))
    p = f["person"]
    alt = _cat(_take(ppl.users, 2 * ppl.n + p), "@", _take(DOMAIN_V, ppl.doms[2 * ppl.n + p]))
    email2 = _where((x[:, 3] < 0.2) & ~recs.email_alt[rows], alt, NULL)
    bchoice = np.select([c == US, c == DE], [np.where(x[:, 4] < 0.7, 1, 0), np.where(x[:, 4] < 0.7, 2, 0)],
                        (x[:, 4] * 3).astype(np.int64) * (x[:, 4] > 0.7))
    birth = _where(x[:, 5] < 0.5, _mixed_date(f["dob"], bchoice.clip(0, 2)), NULL)
    state = _where(x[:, 6] < 0.3, f["state_full"], f["state"])
    schoice = _pick(ex, len(recs), [0.5, 0.25, 0.25])[rows]
    statecode = ((recs.touch[rows] <= t_end) & (x[:, 7] < 0.3)).astype(np.int64)
    table = pa.table({
        "contactid": ids, "salutation": salutation, "firstname": f["first"], "middlename": middle,
        "lastname": f["last"], "emailaddress1": f["email"], "emailaddress2": email2, "telephone1": f["phone"],
        "mobilephone": f["mobile"], "birthdate": birth, "address1_line1": f["line1"], "address1_line2": f["line2"],
        "address1_city": f["city"], "address1_stateorprovince": state, "address1_postalcode": f["postcode"],
        "address1_country": _country_text(c, x[:, 8], 0.35),
        "createdon": _mixed_stamp(recs.created[rows], schoice, c),
        "modifiedon": _mixed_stamp(modified_all[rows], schoice, c), "statecode": pa.array(statecode)})
    keyless = np.flatnonzero(_some(x[:, 9] < 0.001, x[:, 9]))
    order = _dup_order(_rng(w.seed, "dups", "crm_b", str(em.batch)), n)
    broken = table.take(keyless).set_column(0, "contactid", pa.nulls(len(keyless), pa.string()))
    out = pa.concat_tables([table.take(order), broken, table.slice(max(0, n - 1))]) if n else table
    rel = f"crm_b/contacts_export_{em.batch:04d}.csv"
    rows_out = _write_csv(em.path(rel), out, truncate_last=n > 0)
    _add_gt(em, "crm_b", "contacts", ids, recs.person[rows])
    em.varied("crm_b", f)
    em.done(rel, rows_out, t0)


# --- Shop (SQLite, updated in place) -------------------------------------------------
SHOP_DDL = [
    "CREATE TABLE customers (customer_id INTEGER PRIMARY KEY, email TEXT, first_name TEXT, last_name TEXT, "
    "phone TEXT, date_of_birth TEXT, address_line1 TEXT, address_line2 TEXT, city TEXT, state TEXT, "
    "postcode TEXT, country TEXT, marketing_opt_in INTEGER, created_at TEXT, updated_at TEXT)",
    "CREATE TABLE products (product_id INTEGER PRIMARY KEY, sku TEXT, name TEXT, category TEXT, brand TEXT, "
    "price REAL, currency TEXT, created_at TEXT, updated_at TEXT)",
    "CREATE TABLE orders (order_id INTEGER PRIMARY KEY, order_number TEXT, customer_id INTEGER, status TEXT, "
    "channel TEXT, currency TEXT, subtotal REAL, shipping REAL, total_amount REAL, campaign_id TEXT, "
    "created_at TEXT, updated_at TEXT)",
    "CREATE TABLE order_lines (order_line_id INTEGER PRIMARY KEY, order_id INTEGER, product_id INTEGER, "
    "quantity INTEGER, unit_price REAL, discount REAL, created_at TEXT)",
    "CREATE INDEX ix_customers_updated_at ON customers (updated_at)",
    "CREATE INDEX ix_products_updated_at ON products (updated_at)",
    "CREATE INDEX ix_orders_updated_at ON orders (updated_at)",
    "CREATE INDEX ix_order_lines_order_id ON order_lines (order_id)",
]
_CUSTOMER_COLS = ["customer_id", "email", "first_name", "last_name", "phone", "date_of_birth", "address_line1",
                  "address_line2", "city", "state", "postcode", "country", "marketing_opt_in", "created_at",
                  "updated_at"]


def _pylist(a: Any) -> list:
    return a.to_pylist() if isinstance(a, pa.Array | pa.ChunkedArray) else np.asarray(a).tolist()


def _customer_rows(w: World, rows: np.ndarray, t_end: int) -> list[list]:
    recs = w.records["shop"]
    xs = _rng(w.seed, "extra", "shop").random((len(recs), 3))
    f = _render(w, "shop", recs.person, recs.learn_move <= t_end, recs.learn_email <= t_end, recs.email_alt, rows)
    x = xs[rows]
    test = recs.test[rows]
    ti = _test_identity(rows)
    opt = (x[:, 0] < 0.6) ^ (recs.touch[rows] <= t_end)
    cols = {
        "customer_id": rows + 1, "email": _where(test, ti["email"], f["email"]),
        "first_name": _where(test, ti["first"], f["first"]), "last_name": _where(test, ti["last"], f["last"]),
        "phone": _where(test, NULL, f["phone"]),
        "date_of_birth": _where((x[:, 1] < 0.4) & ~test, _fmt_time(f["dob"] * DAY, "%Y-%m-%d"), NULL),
        "address_line1": _where(test, "1 Test Street", f["line1"]), "address_line2": _where(test, NULL, f["line2"]),
        "city": _where(test, "London", f["city"]), "state": _where(test, NULL, f["state"]),
        "postcode": _where(test, "EC1A 1AA", f["postcode"]), "country": _where(test, "GB", _iso2(f["country"])),
        "marketing_opt_in": opt.astype(np.int64), "created_at": _sql_time(recs.created[rows]),
        "updated_at": _sql_time(recs.modified(t_end)[rows])}
    return [_pylist(cols[c]) for c in _CUSTOMER_COLS]


def _product_rows(w: World, rows: np.ndarray, t_end: int) -> list[list]:
    pr = w.products
    price = np.where(pr.change_t[rows] <= t_end, pr.new_price_c[rows], pr.price_c[rows]) / 100
    upd = np.where(pr.change_t[rows] <= t_end, pr.change_t[rows], pr.created[rows])
    return [(rows + 1).tolist(), [pr.sku[i] for i in rows], [pr.name[i] for i in rows],
            [CATEGORIES[pr.category[i]] for i in rows], [pr.brand[i] for i in rows], price.tolist(),
            ["GBP"] * len(rows), _pylist(_sql_time(pr.created[rows])), _pylist(_sql_time(upd))]


def _order_rows(w: World, rows: np.ndarray, t_end: int) -> list[list]:
    od = w.orders
    status, upd = od.status_at(t_end)
    camp = od.campaign[rows]
    cid = _where(camp >= 0, _cat("cmp_", _fixed_int(camp.clip(0) + 1, 5)), NULL)
    return [(rows + 1).tolist(), _pylist(_order_number(rows)), (od.acct[rows] + 1).tolist(),
            [ORDER_STATUSES[s] for s in status[rows]], [("web", "app")[c] for c in od.channel[rows]],
            [CURRENCIES[c] for c in od.cc[rows]], (od.subtotal_c[rows] / 100).tolist(),
            (od.shipping_c[rows] / 100).tolist(), (od.total_c[rows] / 100).tolist(), _pylist(cid),
            _pylist(_sql_time(od.created[rows])), _pylist(_sql_time(upd[rows]))]


def _line_rows(w: World, orders: np.ndarray) -> list[list]:
    od = w.orders
    lines = np.repeat(od.line_start[orders], od.line_n[orders]) + _pos_in_group(od.line_n[orders])
    lo = np.repeat(orders, od.line_n[orders])
    return [(lines + 1).tolist(), (lo + 1).tolist(), (od.l_product[lines] + 1).tolist(), od.l_qty[lines].tolist(),
            (od.l_unit_c[lines] / 100).tolist(), (od.l_disc_c[lines] / 100).tolist(),
            _pylist(_sql_time(od.created[lo]))]


def _insert(con: sqlite3.Connection, table: str, cols: list[list], step: int = 200_000) -> int:
    n = len(cols[0]) if cols else 0
    marks = ", ".join("?" * len(cols))
    for i in range(0, n, step):
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", zip(*(c[i:i + step] for c in cols), strict=True))
    return n


def _fingerprint(w: World) -> int:
    return zlib.crc32(f"northwind:{w.seed}:{w.n}".encode()) & 0x7FFFFFFF


def _shop_state(path: Path) -> tuple[int, int]:
    if not path.exists():
        return 0, 0
    try:
        with sqlite3.connect(path) as con:
            return con.execute("PRAGMA application_id").fetchone()[0], con.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError:
        return 0, 0


def _shop_batch1(w: World, path: Path) -> dict[str, dict[str, int]]:
    """The shop database as of the end of batch 1, written from scratch."""
    path.unlink(missing_ok=True)
    t_end = BATCH_END[1]
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = MEMORY")
    con.execute("PRAGMA synchronous = OFF")
    for ddl in SHOP_DDL:
        con.execute(ddl)
    recs, od, pr = w.records["shop"], w.orders, w.products
    orders = np.flatnonzero(od.created <= t_end)
    counts = {
        "customers": _insert(con, "customers", _customer_rows(w, np.flatnonzero(recs.created <= t_end), t_end)),
        "products": _insert(con, "products", _product_rows(w, np.flatnonzero(pr.created <= t_end), t_end)),
        "orders": _insert(con, "orders", _order_rows(w, orders, t_end)),
        "order_lines": _insert(con, "order_lines", _line_rows(w, orders)),
    }
    con.execute(f"PRAGMA application_id = {_fingerprint(w)}")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    return {k: {"rows": v, "inserted": v, "updated": 0} for k, v in counts.items()}


def _shop_batch2(w: World, path: Path) -> dict[str, dict[str, int]]:
    """Apply batch 2 to a batch-1 database in place: new rows, changed customers/products,
    order status changes (each with a later updated_at)."""
    end1, t_end = BATCH_END[1], BATCH_END[2]
    recs, od, pr = w.records["shop"], w.orders, w.products
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = MEMORY")
    con.execute("PRAGMA synchronous = OFF")
    out: dict[str, dict[str, int]] = {}
    new_c = np.flatnonzero((recs.created > end1) & (recs.created <= t_end))
    upd_c = np.flatnonzero((recs.created <= end1) & (recs.modified(t_end) > end1))
    ins = _insert(con, "customers", _customer_rows(w, new_c, t_end))
    cols = _customer_rows(w, upd_c, t_end)
    sets = ", ".join(f"{c} = ?" for c in _CUSTOMER_COLS[1:])
    con.executemany(f"UPDATE customers SET {sets} WHERE customer_id = ?", zip(*cols[1:], cols[0], strict=True))
    out["customers"] = {"inserted": ins, "updated": len(upd_c)}
    new_p = np.flatnonzero((pr.created > end1) & (pr.created <= t_end))
    upd_p = np.flatnonzero((pr.created <= end1) & (pr.change_t > end1) & (pr.change_t <= t_end))
    ins = _insert(con, "products", _product_rows(w, new_p, t_end))
    pcols = _product_rows(w, upd_p, t_end)
    con.executemany("UPDATE products SET price = ?, updated_at = ? WHERE product_id = ?",
                    zip(pcols[5], pcols[8], pcols[0], strict=True))
    out["products"] = {"inserted": ins, "updated": len(upd_p)}
    _, upd1 = od.status_at(t_end)
    new_o = np.flatnonzero((od.created > end1) & (od.created <= t_end))
    upd_o = np.flatnonzero((od.created <= end1) & (upd1 > end1))
    ins = _insert(con, "orders", _order_rows(w, new_o, t_end))
    ocols = _order_rows(w, upd_o, t_end)
    con.executemany("UPDATE orders SET status = ?, updated_at = ? WHERE order_id = ?",
                    zip(ocols[3], ocols[11], ocols[0], strict=True))
    out["orders"] = {"inserted": ins, "updated": len(upd_o)}
    out["order_lines"] = {"inserted": _insert(con, "order_lines", _line_rows(w, new_o)), "updated": 0}
    con.execute("PRAGMA user_version = 2")
    con.commit()
    for table in out:
        out[table]["rows"] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    con.close()
    return out


def _emit_shop(w: World, em: Emit) -> None:
    t0 = time.perf_counter()
    path = em.path("shop/shop.sqlite")
    app_id, version = _shop_state(path)
    if em.batch == 1:
        em.tables = _shop_batch1(w, path)
    else:
        if not (app_id == _fingerprint(w) and version == 1):  # missing, other demo, or already at batch 2
            _shop_batch1(w, path)
            em.log("[generate] shop: batch 1 state written first")
        em.tables = _shop_batch2(w, path)
    recs = w.records["shop"]
    rows = np.flatnonzero((recs.created <= em.end) & (recs.modified(em.end) >= em.rec_start))
    _add_gt(em, "shop", "customers", _int_str(rows + 1), recs.person[rows])
    em.files["shop/shop.sqlite"] = sum(t["rows"] for t in em.tables.values())
    em.log("[generate] shop/shop.sqlite: " + ", ".join(
        f"{k} {v['rows']:,} (+{v['inserted']:,}, ~{v['updated']:,})" for k, v in em.tables.items())
        + f" in {time.perf_counter() - t0:.1f}s")


# --- Payments ---------------------------------------------------------------------------
def _stripe_ids(prefix: str, k: np.ndarray, seed: int) -> pa.Array:
    m = np.concatenate([_b62_mat(_mix64(k, _salt(seed, prefix + "a")), 11),
                        _b62_mat(_mix64(k, _salt(seed, prefix + "b")), 11)], 1)
    return _cat(prefix, _sa(m))


def _emit_payments(w: World, em: Emit) -> None:
    t0 = time.perf_counter()
    pm, ppl, od = w.payments, w.people, w.orders
    rows = np.flatnonzero(em.window(pm.created))
    pp = pm.person.clip(0)
    f = _render(w, "payments", pp, pm.created >= ppl.move_t[pp], pm.created >= ppl.email_t[pp], pm.email_alt, rows)
    ids = _stripe_ids("py_", rows, w.seed)
    amt = pm.amount_c[rows]
    kind = pm.amount_kind[rows]
    amount = _where(kind == 1, "N/A", _where(kind == 2, _money(amt, ","), _money(amt)))
    order = pm.order[rows]
    orphan = order < 0
    oref = _where(orphan, _where(pm.orphan_ref[rows] % 3 == 0, _cat("MAN-", _int_str(pm.orphan_ref[rows] % 1000000)),
                                 _cat("NW-", _int_str(pm.orphan_ref[rows]))), _order_number(order.clip(0)))
    test = pm.test[rows]
    ti = _test_identity(np.where(test, od.acct[order.clip(0)], 0))
    card = pm.brand[rows] >= 0
    table = pa.table({
        "id": ids, "created": _sql_time(pm.created[rows]), "amount": amount,
        "currency": pc.utf8_lower(_take(_vocab(CURRENCIES), pm.cc[rows])),
        "status": _where(pm.failed[rows], "failed", "succeeded"),
        "failure_code": _where(pm.failure[rows] >= 0, _take(_vocab(FAILURE_CODES), pm.failure[rows].clip(0)), NULL),
        "payment_method_type": _take(_vocab(PAY_METHODS), pm.method[rows]),
        "card_brand": _where(card, _take(_vocab(CARD_BRANDS), pm.brand[rows].clip(0)), NULL),
        "card_last4": _where(card, _fixed_int(pm.last4[rows].clip(0), 4), NULL),
        "order_reference": oref,
        "billing_name": _where(test, _cat(ti["first"], " ", ti["last"]), _name(f["first"], f["last"])),
        "billing_email": _where(test, ti["email"], f["email"]),
        "billing_phone": _where(test, NULL, f["phone"]),
        "billing_country": _where(test, "GB", _iso2(f["country"])),
        "billing_postcode": _where(test, NULL, f["postcode"])})
    n = len(rows)
    ex = _rng(w.seed, "extra", "payments", str(em.batch))
    keyless = np.flatnonzero(_some(ex.random(n) < 0.001, ex.random(n)))
    order_ = _dup_order(_rng(w.seed, "dups", "payments", str(em.batch)), n)
    broken = table.take(keyless).set_column(0, "id", pa.nulls(len(keyless), pa.string()))
    out = pa.concat_tables([table.take(order_), broken, table.slice(max(0, n - 1))]) if n else table
    rel = f"payments/payments_{em.batch:04d}.csv"
    rows_out = _write_csv(em.path(rel), out, truncate_last=n > 0)
    _add_gt(em, "payments", "payments", ids, np.where(test, -1, pm.person[rows]))
    em.varied("payments", f)
    em.done(rel, rows_out, t0)

    t0 = time.perf_counter()
    rf = w.refunds
    r = np.flatnonzero(em.window(rf.created))
    table = pa.table({
        "id": _stripe_ids("re_", r, w.seed), "payment_id": _stripe_ids("py_", rf.payment[r], w.seed),
        "created": _sql_time(rf.created[r]), "amount": _money(rf.amount_c[r]),
        "currency": pc.utf8_lower(_take(_vocab(CURRENCIES), rf.cc[r])),
        "reason": _take(_vocab(REFUND_REASONS), rf.reason[r]),
        "status": _take(_vocab(["succeeded", "pending", "failed"]), rf.status[r])})
    rel = f"payments/refunds_{em.batch:04d}.csv"
    order_ = _dup_order(_rng(w.seed, "dups", "refunds", str(em.batch)), len(r))
    em.done(rel, _write_csv(em.path(rel), table.take(order_)), t0)


# --- Support ----------------------------------------------------------------------------
_CSAT_BAD = ["5 stars", "good", "4/5", "N/A", "very satisfied"]


def _emit_tickets(w: World, em: Emit) -> None:
    t0 = time.perf_counter()
    tix, ppl, t_end = w.tickets, w.people, em.end
    status, upd = tix.status_at(t_end)
    rows = np.flatnonzero((tix.created <= t_end) & (upd >= em.rec_start))
    pp = tix.person
    f = _render(w, "tickets", pp, tix.created >= ppl.move_t[pp], tix.created >= ppl.email_t[pp], tix.email_alt, rows)
    n = len(rows)
    ids = _cat("TCK-", _fixed_int(rows + 1, 7))
    tz = tix.tz[rows]
    solved = tix.solved_t[rows] <= t_end
    rated = tix.csat_t[rows] <= t_end
    csat = _where(rated, _where(tix.csat_bad[rows], _jv(_take(_vocab(_CSAT_BAD), rows % len(_CSAT_BAD))),
                                _int_str(tix.csat[rows])), "null")
    order = tix.order[rows]
    num = _fixed_int(order.clip(0) + 1_000_001, 7)
    style = tix.ref_style[rows]
    ref = _take(pa.concat_arrays([_cat("NW-", num), num, _cat("nw-", num), _cat("#", num)]), style * n + np.arange(n))
    ref = _where(order >= 0, ref, NULL)
    subject = _take(_vocab(_SUBJECTS), tix.subject[rows])
    subject = _where((order >= 0) & (tix.category[rows] == 0) & (rows % 3 == 0), _cat(subject, " ", ref), subject)
    requester = _jobj([("name", _jv(_name(f["first"], f["last"]))), ("email", _jv(f["email"])),
                       ("phone", _jv(f["phone"]))])
    lines = _jobj([
        ("ticket_id", _jv(ids)), ("created_at", _jv(_fmt_local(tix.created[rows], tz, "%Y-%m-%dT%H:%M:%S"))),
        ("updated_at", _jv(_fmt_local(upd[rows], tz, "%Y-%m-%dT%H:%M:%S"))),
        ("resolved_at", _jv(_where(solved, _fmt_local(tix.solved_t[rows].clip(0, WORLD_END), tz,
                                                      "%Y-%m-%dT%H:%M:%S"), NULL))),
        ("channel", _jv(_take(_vocab(TICKET_CHANNELS), tix.channel[rows]))),
        ("category", _jv(_take(_vocab(TICKET_CATEGORIES), tix.category[rows]))),
        ("priority", _jv(_take(_vocab(TICKET_PRIORITIES), tix.priority[rows]))),
        ("status", _jv(_take(_vocab(TICKET_STATUSES), status[rows]))), ("subject", _jv(subject)),
        ("csat_score", csat), ("order_reference", _jv(ref)), ("requester", requester)])
    ex = _rng(w.seed, "extra", "tickets", str(em.batch))
    keyless = np.flatnonzero(_some(ex.random(n) < 0.001, ex.random(n)))
    order_ = _dup_order(_rng(w.seed, "dups", "tickets", str(em.batch)), n)
    out = pa.concat_arrays([_take(lines, order_), _keyless_tickets(_take(lines, keyless))]) if n else lines
    rel = f"support/tickets_{em.batch:04d}.jsonl"
    tail = _truncate_jsonl(lines[n - 1].as_py()) if n else b""
    _write_lines(em.path(rel), out, tail)
    _add_gt(em, "support", "tickets", ids, tix.person[rows])
    em.varied("support", f)
    em.done(rel, len(out) + (1 if n else 0), t0)


def _keyless_tickets(lines: pa.Array) -> pa.Array:
    """Copies of tickets whose ticket_id came through empty."""
    return pc.replace_substring_regex(lines, r'^\{"ticket_id": "[^"]*"', '{"ticket_id": ""')


# --- Web events ---------------------------------------------------------------------------
_EV_SCHEMA = pa.schema([
    ("event_id", pa.string()), ("event_type", pa.string()), ("event_at", pa.timestamp("us", tz="UTC")),
    ("anonymous_id", pa.string()), ("customer_id", pa.int64()), ("session_id", pa.string()),
    ("platform", pa.string()), ("device_type", pa.string()), ("page_path", pa.string()),
    ("product_id", pa.int64()), ("order_number", pa.string()), ("utm_source", pa.string()),
    ("utm_campaign", pa.string()), ("user_agent", pa.string())])


def _uuid(h1: np.ndarray, h2: np.ndarray) -> pa.Array:
    a, b = _hex_mat(h1), _hex_mat(h2)
    d = np.full((len(h1), 1), 45, dtype=np.uint8)
    return _sa(np.concatenate([a[:, :8], d, a[:, 8:12], d, a[:, 12:16], d, b[:, :4], d, b[:, 4:16]], 1))


def _expand_sessions(w: World, sel: np.ndarray, em: Emit) -> pa.Table:
    """All events of the sessions `sel` that fall in the batch window. Per-event randomness is a
    hash of (session, position), so a session cut by the batch boundary expands the same way
    in both batches."""
    ses, od, pr = w.sessions, w.orders, w.products
    salt = _salt(w.seed, "web_event")
    counts = ses.n_events[sel]
    s = np.repeat(sel, counts)
    j = _pos_in_group(counts)
    key = (s.astype(np.uint64) << _U64(8)) | j.astype(np.uint64)
    h = _mix64(key, salt)
    u = _unif(h)
    login_at = ses.login_pos[s]
    has_login = ses.login[s]
    jb = j - (has_login & (j > login_at))
    is_login = has_login & (j == login_at)
    a = ses.app[s].astype(np.int64)
    b2 = a + ses.npv[s]
    b3 = b2 + ses.nprod[s]
    b4 = b3 + ses.ncart[s]
    b5 = b4 + ses.checkout[s]
    et = np.select([is_login, jb < a, jb < b2, jb < b3, jb < b4, jb < b5],
                   [EV_LOGIN, EV_APP, EV_PAGE, EV_PRODUCT, EV_CART, EV_CHECKOUT], EV_DONE)
    gap = np.where(j == 0, 0, 3 + np.minimum(-np.log(u + 1e-12) * 35, 900)).astype(np.int64)
    cum = _group_cumsum(gap, counts)
    total = np.repeat(cum[_group_starts(counts) + counts - 1], counts)
    t = np.where(ses.anchor_end[s], ses.anchor[s] - (total - cum), ses.anchor[s] + cum)
    keep = em.window(t)
    s, j, h, u, et, t, jb, login_at, has_login = (x[keep] for x in (s, j, h, u, et, t, jb, login_at, has_login))
    b2, b3 = b2[keep], b3[keep]
    o = ses.order[s]
    k = np.where(et == EV_PRODUCT, jb - b2, jb - b3)
    from_order = (o >= 0) & np.isin(et, [EV_PRODUCT, EV_CART]) & (k < od.line_n[o.clip(0)])
    line = od.line_start[o.clip(0)] + k.clip(0)
    rnd_prod = np.searchsorted(pr.pop_cum, _unif(_mix64(h, _salt(w.seed, "web_product"))), side="right").clip(
        0, pr.n - 1)
    prod = np.where(from_order, od.l_product[line.clip(0, len(od.l_product) - 1)], rnd_prod)
    has_prod = np.isin(et, [EV_PRODUCT, EV_CART])
    n_pages = len(PAGES)
    path_idx = np.select([et == EV_PAGE, et == EV_PRODUCT, et == EV_CART, et == EV_CHECKOUT, et == EV_DONE,
                          et == EV_APP, et == EV_LOGIN],
                         [(u * n_pages).astype(np.int64), n_pages + 4 + prod, n_pages, n_pages + 1, n_pages + 2,
                          np.zeros(len(et), np.int64), n_pages + 3])
    path_vocab = _vocab(PAGES + ["/cart", "/checkout", "/checkout/confirmation", "/account/login"]
                        + ["/p/" + sku.lower() for sku in pr.sku])
    cust = np.where(has_login & (j >= login_at), ses.customer[s], -1)
    dev = ses.device[s]
    camp = ses.campaign[s]
    done = et == EV_DONE
    m = len(s)
    dup = (h >> _U64(20)) % _U64(100) == 0  # ~1% exact duplicate rows, right after the original
    tab = pa.table({
        "event_id": _cat("evt_", _sa(_hex_mat(h))), "event_type": _take(_vocab(EVENT_TYPES), et),
        "event_at": pa.array(t * 1_000_000, pa.int64()).cast(pa.timestamp("us", tz="UTC")),
        "anonymous_id": _uuid(_mix64(dev, _salt(w.seed, "anon_a")), _mix64(dev, _salt(w.seed, "anon_b"))),
        "customer_id": pa.array(cust, pa.int64(), mask=cust < 0),
        "session_id": _cat("ses_", _sa(_hex_mat(_mix64(s, _salt(w.seed, "session"))))),
        "platform": _take(_vocab(PLATFORMS), ses.dev_platform[dev]),
        "device_type": _take(_vocab(DEVICE_TYPES), ses.dev_type[dev]),
        "page_path": _take(path_vocab, path_idx),
        "product_id": pa.array(prod + 1, pa.int64(), mask=~has_prod),
        "order_number": _where(done, _order_number(o.clip(0)), NULL) if m else pa.array([], pa.string()),
        "utm_source": _take(_vocab(UTM_SOURCES), ses.utm[s]),
        "utm_campaign": _where(camp >= 0, _cat("cmp_", _fixed_int(camp.clip(0) + 1, 5)), NULL) if m
        else pa.array([], pa.string()),
        "user_agent": _take(_vocab([x[2] for x in UA_STRINGS]), ses.dev_ua[dev]),
    }, schema=_EV_SCHEMA)
    return tab.take(np.repeat(np.arange(m), 1 + dup))


def _emit_web(w: World, em: Emit) -> None:
    t0 = time.perf_counter()
    ses = w.sessions
    folder = em.path("web/x").parent
    for old in folder.glob(f"events_{em.batch:04d}_part*.parquet"):
        old.unlink()
    sel = np.flatnonzero((ses.anchor >= em.start - 2 * DAY) & (ses.anchor <= em.end + 2 * DAY))
    cum = np.cumsum(ses.n_events[sel])
    target = int(EVENTS_PER_PART * 0.985)
    bounds = np.searchsorted(cum, np.arange(target, int(cum[-1]) + target, target), side="right") if len(sel) else []
    part, total, start = 0, 0, 0
    for b in list(bounds) + [len(sel)]:
        if b <= start:
            continue
        tab = _expand_sessions(w, sel[start:b], em)
        start = b
        if tab.num_rows == 0:
            continue
        part += 1
        rel = f"web/events_{em.batch:04d}_part{part:02d}.parquet"
        pq.write_table(tab, em.path(rel), compression="zstd", row_group_size=EVENTS_PER_PART)
        em.files[rel] = tab.num_rows
        total += tab.num_rows
    em.log(f"[generate] web/events_{em.batch:04d}_part*.parquet: {total:,} rows in {part} parts in "
           f"{time.perf_counter() - t0:.1f}s")


# --- E-mail marketing -------------------------------------------------------------------
def _campaign_id(c: np.ndarray) -> pa.Array:
    return _cat("cmp_", _fixed_int(c + 1, 5))


def _emit_email(w: World, em: Emit) -> None:
    t0 = time.perf_counter()
    cps, evs, recs, t_end = w.campaigns, w.email, w.records["subscribers"], em.end
    c = np.flatnonzero(em.window(cps.send_at))
    table = pa.table({
        "campaign_id": _campaign_id(c), "name": _vocab([cps.name[i] for i in c]),
        "channel": _take(_vocab(["email", "sms"]), cps.channel[c]), "subject": _vocab([cps.subject[i] for i in c]),
        "send_at": _sql_time(cps.send_at[c]), "audience_size": pa.array(cps.audience[c]),
        "cost": _money(cps.cost_c[c]), "currency": pa.array(["GBP"] * len(c), pa.string())})
    rel = f"email/campaigns_{em.batch:04d}.csv"
    em.done(rel, _write_csv(em.path(rel), table), t0)

    t0 = time.perf_counter()
    sub_ids = _sa(_hex_mat(_mix64(np.arange(len(recs)), _salt(w.seed, "subscriber"))))
    mod = recs.modified(t_end)
    rows = np.flatnonzero((recs.created <= t_end) & (mod >= em.rec_start))
    no_move = np.zeros(len(recs), bool)  # subscribers hold no postal address
    f = _render(w, "subscribers", recs.person, no_move, recs.learn_email <= t_end, recs.email_alt, rows)
    st = np.where(recs.status_t[rows] <= t_end, evs.left_code[rows], 0)
    xs = _rng(w.seed, "extra", "subscribers").random(len(recs))[rows]
    table = pa.table({
        "subscriber_id": _take(sub_ids, rows), "email": f["email"], "first_name": f["first"], "last_name": f["last"],
        "status": _take(_vocab(["subscribed", "unsubscribed", "cleaned"]), st),
        "country": _where(xs < 0.8, _iso2(f["country"]), _country_text(f["country"], xs, 1.0)),
        "opt_in_at": _sql_time(recs.created[rows]), "updated_at": _sql_time(mod[rows])})
    rel = f"email/subscribers_{em.batch:04d}.csv"
    order = _dup_order(_rng(w.seed, "dups", "subscribers", str(em.batch)), len(rows))
    em.done(rel, _write_csv(em.path(rel), table.take(order)), t0)
    _add_gt(em, "email", "subscribers", _take(sub_ids, rows), recs.person[rows])
    em.varied("email", f)

    t0 = time.perf_counter()
    ev = np.flatnonzero(em.window(evs.t))
    ev = ev[np.argsort(evs.t[ev], kind="stable")]
    allrows = np.arange(len(recs))
    emails = pa.concat_arrays([  # each subscriber's address before and after an e-mail change
        _render(w, "subscribers", recs.person, no_move, no_move | v2, recs.email_alt, allrows, full=False)["email"]
        for v2 in (False, True)])
    rel = f"email/events_{em.batch:04d}.csv"
    order = _dup_order(_rng(w.seed, "dups", "email_events", str(em.batch)), len(ev))
    schema = pa.schema([(k, pa.string()) for k in ("event_id", "campaign_id", "subscriber_id", "email",
                                                     "event_type", "event_at")])
    with pacsv.CSVWriter(em.path(rel), schema, write_options=pacsv.WriteOptions(quoting_style="needed")) as wr:
        step = 2_000_000
        for i in range(0, max(len(order), 1), step):
            e = ev[order[i:i + step]]
            sub = evs.sub[e]
            v2 = recs.learn_email[sub] <= evs.t[e]
            wr.write_table(pa.table({
                "event_id": _cat("e", _fixed_int(e, 11)), "campaign_id": _campaign_id(evs.campaign[e]),
                "subscriber_id": _take(sub_ids, sub), "email": _take(emails, v2 * len(recs) + sub),
                "event_type": _take(_vocab(EMAIL_EVENTS), evs.type[e]), "event_at": _sql_time(evs.t[e])},
                schema=schema))
    em.done(rel, len(order), t0)


# --- Marketing spend ----------------------------------------------------------------------
def _emit_spend(w: World, em: Emit) -> None:
    t0 = time.perf_counter()
    rng = _rng(w.seed, "spend")
    months = []
    d = datetime(2023, 1, 1, tzinfo=UTC)
    while d.timestamp() <= WORLD_END:
        months.append(d)
        d = datetime(d.year + (d.month == 12), d.month % 12 + 1, 1, tzinfo=UTC)
    scale = w.n / 1000
    base = {"paid_search": 120.0, "paid_social": 80.0, "affiliate": 40.0, "display": 30.0}
    season = {11: 1.6, 12: 1.4, 1: 1.1, 7: 0.9, 8: 0.9}
    noise = rng.lognormal(0, 0.12, (len(months), len(SPEND_CHANNELS)))
    camp_month = np.array([(datetime.fromtimestamp(t, UTC).year, datetime.fromtimestamp(t, UTC).month)
                           for t in w.campaigns.send_at])
    out_m, out_c, out_s = [], [], []
    for i, m in enumerate(months):
        if not (em.start <= m.timestamp() <= em.end):
            continue
        for k, ch in enumerate(SPEND_CHANNELS):
            if ch == "email":
                hit = (camp_month[:, 0] == m.year) & (camp_month[:, 1] == m.month)
                cents = int(w.campaigns.cost_c[hit].sum()) + round(300 * 100 * max(1.0, scale / 100))
            else:
                cents = round(base[ch] * scale * season.get(m.month, 1.0) * noise[i, k] * 100)
            out_m.append(m.strftime("%Y-%m"))
            out_c.append(ch)
            out_s.append(cents)
    table = pa.table({"month": _vocab(out_m), "channel": _vocab(out_c), "spend": _money(np.array(out_s, np.int64)),
                      "currency": _vocab(["GBP"] * len(out_m))})
    rel = f"marketing/spend_{em.batch:04d}.csv"
    em.done(rel, _write_csv(em.path(rel), table), t0)


# --------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------
def generate(out_dir: Path, people: int, seed: int = 42, batch: int = 1,
             log: Callable[[str], None] | None = None) -> dict:
    """Write batch `batch` of the demo company for (`seed`, `people`) under `out_dir`.

    Returns the manifest (also in out_dir/manifest.json; per batch in manifest_000B.json)."""
    if batch not in BATCHES:
        raise ValueError(f"batch must be one of {BATCHES}, not {batch}")
    if people < 50:
        raise ValueError("people must be at least 50")
    say = log or (lambda s: print(s, flush=True))
    out_dir = Path(out_dir)
    started = time.perf_counter()
    w = build_world(seed, people, say)
    em = Emit(out_dir, batch, log=say)
    for step in (_emit_crm_a, _emit_crm_b, _emit_shop, _emit_payments, _emit_tickets, _emit_email, _emit_spend,
                 _emit_web):
        step(w, em)
    t0 = time.perf_counter()
    gt = pa.concat_tables(em.gt)
    gt_rel = f"ground_truth/person_records_{batch:04d}.csv"
    (out_dir / "ground_truth").mkdir(parents=True, exist_ok=True)
    _write_csv(out_dir / gt_rel, gt)
    say(f"[generate] {gt_rel}: {gt.num_rows:,} rows in {time.perf_counter() - t0:.1f}s")
    manifest = {
        "seed": seed, "people": people, "batch": batch,
        "window": {"start": _fmt_time(np.array([em.start]), "%Y-%m-%dT%H:%M:%SZ")[0].as_py(),
                   "end": _fmt_time(np.array([em.end]), "%Y-%m-%dT%H:%M:%SZ")[0].as_py()},
        "files": dict(sorted(em.files.items())),
        "shop_tables": em.tables,
        "ground_truth": {gt_rel: gt.num_rows},
        "stats": {k: round(v, 4) for k, v in sorted(em.stats.items())},
    }
    (out_dir / f"manifest_{batch:04d}.json").write_text(json.dumps(manifest, indent=2) + "\n")
    batches = {}
    for b in BATCHES:
        p = out_dir / f"manifest_{b:04d}.json"
        if p.exists():
            m = json.loads(p.read_text())
            if (m.get("seed"), m.get("people")) == (seed, people):
                batches[str(b)] = {k: m[k] for k in ("files", "shop_tables", "ground_truth")}
    (out_dir / "manifest.json").write_text(json.dumps({**manifest, "batches": batches}, indent=2) + "\n")
    total = sum(em.files.values())
    say(f"[generate] done: batch {batch} of {people:,} people (seed {seed}): {len(em.files)} files, "
        f"{total:,} rows, {gt.num_rows:,} ground-truth records in {time.perf_counter() - started:.1f}s -> {out_dir}")
    return manifest


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Generate the Northwind Outfitters demo exports (see FORMATS.md).")
    ap.add_argument("--out", type=Path, default=Path("data/demo"))
    ap.add_argument("--people", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--batch", type=int, default=1, choices=BATCHES)
    args = ap.parse_args(argv)
    generate(args.out, people=args.people, seed=args.seed, batch=args.batch)


if __name__ == "__main__":
    main()
