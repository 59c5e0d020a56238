"""Demo partners: the facts of Gza's founding documents, told in our own words (officers'
notes are Georgian, as officers write them). Idempotent:
a country already followed is left as it is."""

import datetime
from decimal import Decimal

from django.db import transaction

from gza.core.enums import Role
from gza.core.models import Organisation, User
from gza.partners.enums import (
    ActionStatus,
    AgreementKind,
    AgreementStatus,
    CooperationStage,
    EngagementKind,
    IndicatorKind,
    Verdict,
)
from gza.partners.models import (
    Action,
    ActionPlan,
    Agreement,
    AgreementEvent,
    CountryIndicator,
    Decision,
    Engagement,
    PartnerCountry,
    StageChange,
)

D = datetime.date
LETTER_2018 = "შრომის სამინისტროს წერილი საგარეო საქმეთა მინისტრს, 2018"
# Where the briefing gives no date for an event, the move carries the briefing's date.
BRIEFING_2019 = "ცნობა ცირკულარული მიგრაციის შესახებ, 2019"
EU_COMMUNICATION = (
    "ევროკომისიის კომუნიკაცია ცირკულარული მიგრაციისა და მობილობის პარტნიორობის შესახებ, 2007"
)
# Partners whose record starts on a known day, with the document that put them on the map.
STARTS = {"EU": (D(2007, 5, 16), EU_COMMUNICATION)}

# country: list of (transition, to_stage, date, reason, source); the first row enters the
# pipeline at "identified".
HISTORY = {
    "NO": [(D(2018, 1, 15), "contacted", "IOM-მა დროებით დასაქმებაზე პირველი კონტაქტი დაამყარა.", LETTER_2018)],
    "SE": [(D(2018, 1, 15), "contacted", "IOM-მა დროებით დასაქმებაზე პირველი კონტაქტი დაამყარა.", LETTER_2018)],
    "FI": [(D(2018, 1, 15), "contacted", "IOM-მა დროებით დასაქმებაზე პირველი კონტაქტი დაამყარა.", LETTER_2018)],
    "ES": [(D(2018, 1, 15), "contacted", "IOM-მა დროებით დასაქმებაზე პირველი კონტაქტი დაამყარა.", LETTER_2018)],
    "TR": [
        (
            D(2018, 1, 15),
            "contacted",
            "IOM-მა პირველი კონტაქტი დაამყარა; თურქეთის სამთავრობო დელეგაცია ივლისში ვიზიტს გეგმავდა.",
            LETTER_2018,
        )
    ],
    "LT": [
        (D(2018, 1, 15), "contacted", "IOM-მა დროებით დასაქმებაზე პირველი კონტაქტი დაამყარა.", LETTER_2018),
        (D(2018, 5, 1), "interest_expressed", "ლიეტუვამ თანამშრომლობის ინტერესი და მზაობა გამოთქვა.", LETTER_2018),
    ],
    "PT": [
        (D(2018, 1, 15), "contacted", "IOM-მა დროებით დასაქმებაზე პირველი კონტაქტი დაამყარა.", LETTER_2018),
        (D(2019, 4, 30), "interest_expressed", "პორტუგალიამ თანამშრომლობის მზაობა გამოთქვა.", BRIEFING_2019),
    ],
    "EE": [
        (D(2019, 1, 15), "contacted", "მიმდინარეობს თანამშრომლობის შესაძლებლობების შესწავლა.", BRIEFING_2019),
        (D(2019, 4, 30), "interest_expressed", "ესტონეთმა თანამშრომლობის მზაობა გამოთქვა.", BRIEFING_2019),
    ],
    "HU": [(D(2019, 4, 30), "interest_expressed", "უნგრეთმა თანამშრომლობის მზაობა გამოთქვა.", BRIEFING_2019)],
    "GR": [],
    "IL": [
        (D(2018, 12, 3), "negotiating", "ოფიციალურმა დელეგაციამ შეთანხმებისკენ მიმავალი შემდეგი ნაბიჯები შეათანხმა.", BRIEFING_2019),
    ],
    "FR": [
        (D(2013, 11, 1), "agreement_signed", "ხელი მოეწერა შეთანხმებას კვალიფიციური სპეციალისტების ბინადრობისა და ცირკულარული მიგრაციის შესახებ.", BRIEFING_2019),
        (D(2019, 2, 1), "scheme_operating", "შეთანხმება ძალაში შევიდა.", BRIEFING_2019),
    ],
    "PL": [
        (D(2019, 4, 30), "scheme_operating", "ცირკულარული მიგრაციის საპილოტე პროექტი IOM-თან ერთად: შრომის ბაზრის კვლევა, მოთხოვნადი პროფესიების ჩამონათვალი, კანდიდატების შერჩევა საქართველოში; დასაქმდა 40-ზე მეტი ადამიანი.", BRIEFING_2019),
    ],
    "EU": [
        (D(2010, 2, 16), "agreement_signed", "საქართველოსთან მობილობის პარტნიორობა ამოქმედდა.", BRIEFING_2019),
    ],
    "BG": [
        (D(2019, 4, 30), "not_pursued", "ბულგარეთის შრომის ბაზარი ამჟამად საქართველოს მოქალაქეებისთვის ნაკლებად მიმზიდველია (მინიმალური ხელფასი 286 ევრო); ჯერ უკვე დაწყებული სქემები უნდა დასრულდეს.", BRIEFING_2019),
    ],
}  # fmt: skip

ENGAGEMENTS = [
    (
        "NO",
        EngagementKind.MEETING,
        D(2018, 6, 6),
        "ოსლო",
        "IOM-ის ნორვეგიის ოფისი შეხვდა საქართველოს წარმომადგენლობას შრომითი მიგრაციის სფეროში "
        "თანამშრომლობაზე.",
        "IOM's Norway office met Georgia's representation on labour-migration cooperation.",
        ["iom", "embassy_NO"],
    ),
    (
        "IL",
        EngagementKind.VISIT_INCOMING,
        D(2018, 12, 3),
        "თბილისი",
        "ოფიციალურმა დელეგაციამ შეათანხმა შემდეგი ნაბიჯები: შეთანხმების პროექტი და ინფორმაციის "
        "გაცვლა დარგებსა და კვალიფიკაციებზე.",
        "An official delegation agreed the next steps: a draft agreement and an exchange on sectors "
        "and qualifications.",
        ["ministry"],
    ),
    (
        "FR",
        EngagementKind.VISIT_OUTGOING,
        D(2019, 4, 2),
        "პარიზი",
        "სამინისტროს დელეგაცია პარიზში შეთანხმების ტექნიკურ დეტალებს შეუთანხმდა.",
        "A ministry delegation settled technical details of the agreement in Paris.",
        ["ministry", "embassy_FR"],
    ),
    (
        "EU",
        EngagementKind.MEETING,
        D(2010, 9, 15),
        "ბრიუსელი",
        "მობილობის პარტნიორობის პირველი შეხვედრა ბრიუსელში.",
        "The Mobility Partnership's first meeting, in Brussels.",
        ["ministry"],
    ),
    (
        "EU",
        EngagementKind.MEETING,
        D(2012, 1, 30),
        "თბილისი",
        "მობილობის პარტნიორობის ადგილობრივი თანამშრომლობის პლატფორმის პირველი შეხვედრა.",
        "The first meeting of the Mobility Partnership's local cooperation platform.",
        ["ministry", "iom"],
    ),
]


def _organisations() -> dict[str, Organisation]:
    found = {
        "ministry": Organisation.objects.filter(kind="labour_ministry").first(),
        "iom": Organisation.objects.filter(short_name="IOM").first(),
    }
    for embassy in Organisation.objects.filter(kind="embassy"):
        found[f"embassy_{embassy.country_id}"] = embassy
    return found


def _agreements(actor: User | None, organisations: dict[str, Organisation]) -> None:
    france, created = Agreement.objects.get_or_create(
        partner=PartnerCountry.objects.get(country_id="FR"),
        title_en="Agreement on the residence of qualified specialists and circular migration",
        defaults={
            "kind": AgreementKind.BILATERAL,
            "title_ka": "შეთანხმება კვალიფიციური სპეციალისტების ბინადრობისა და ცირკულარული "
            "მიგრაციის შესახებ",
            "subject_ka": "ხელი მოეწერა 2013 წელს; საქართველოს პარლამენტმა რატიფიცირება მოახდინა, "
            "საფრანგეთმა — 2018 წლის დეკემბერში; ძალაშია 2019 წლის 1 თებერვლიდან. ზუსტი დღე, "
            "სადაც წყარო მხოლოდ წელს ან თვეს ასახელებს, პირობითია.",
            "subject_en": "Signed in 2013; ratified by Georgia's Parliament and by France in "
            "December 2018; in force since 1 February 2019. Where the source gives only a year or "
            "a month, the day is nominal.",
            "status": AgreementStatus.IN_FORCE,
            "signed_on": D(2013, 11, 1),
            "ratified_partner_on": D(2018, 12, 1),
            "in_force_on": D(2019, 2, 1),
        },
    )
    if created:
        france.implementing_bodies.set([o for o in (organisations.get("ministry"),) if o])
        for day, move, before, after in [
            (D(2013, 11, 1), "sign", AgreementStatus.NEGOTIATING, AgreementStatus.SIGNED),
            (D(2019, 2, 1), "enter_into_force", AgreementStatus.SIGNED, AgreementStatus.IN_FORCE),
        ]:
            AgreementEvent.objects.create(
                agreement=france,
                transition=move,
                from_status=before,
                to_status=after,
                occurred_on=day,
                actor=actor,
            )
    poland, created = Agreement.objects.get_or_create(
        partner=PartnerCountry.objects.get(country_id="PL"),
        title_en="Circular-migration pilot with IOM",
        defaults={
            "kind": AgreementKind.PILOT,
            "title_ka": "ცირკულარული მიგრაციის საპილოტე პროექტი IOM-თან ერთად",
            "subject_ka": "შრომის ბაზრის კვლევა პოლონეთში, მოთხოვნადი პროფესიების ჩამონათვალი, "
            "კანდიდატების შერჩევა საქართველოში; დასაქმდა 40-ზე მეტი ადამიანი.",
            "subject_en": "Labour-market study in Poland, a list of in-demand occupations, "
            "candidates selected in Georgia; more than 40 people employed.",
            "status": AgreementStatus.IN_FORCE,
        },
    )
    if created:
        poland.implementing_bodies.set(
            [o for o in (organisations.get("ministry"), organisations.get("iom")) if o]
        )


def _mobility_partnership(actor: User | None, organisations: dict[str, Organisation]) -> None:
    partnership, created = Agreement.objects.get_or_create(
        partner=PartnerCountry.objects.get(country_id="EU"),
        title_en="EU-Georgia Mobility Partnership",
        defaults={
            "kind": AgreementKind.EU_FRAMEWORK,
            "title_ka": "ევროკავშირი-საქართველოს მობილობის პარტნიორობა",
            "subject_ka": "ევროკომისიამ ცირკულარული მიგრაციისა და მობილობის პარტნიორობის "
            "შესახებ კომუნიკაცია 2007 წლის 16 მაისს გამოაქვეყნა; საქართველოსთან პარტნიორობა "
            "2010 წლის 16 თებერვალს ამოქმედდა, პირველი შეხვედრა ბრიუსელში 2010 წლის "
            "15 სექტემბერს გაიმართა, ადგილობრივი თანამშრომლობის პლატფორმის პირველი შეხვედრა "
            "— 2012 წლის 30 იანვარს.",
            "subject_en": "The European Commission's communication on circular migration and "
            "mobility partnerships came out on 16 May 2007; the partnership with Georgia was "
            "launched on 16 February 2010, met first in Brussels on 15 September 2010, and its "
            "local cooperation platform first met on 30 January 2012.",
            "status": AgreementStatus.IN_FORCE,
            "negotiation_opened_on": D(2007, 5, 16),
            "signed_on": D(2010, 2, 16),
            "in_force_on": D(2010, 2, 16),
        },
    )
    if not created:
        return
    partnership.implementing_bodies.set(
        [o for o in (organisations.get("ministry"), organisations.get("iom")) if o]
    )
    for day, move, before, after in [
        (D(2010, 2, 16), "sign", AgreementStatus.NEGOTIATING, AgreementStatus.SIGNED),
        (D(2010, 2, 16), "enter_into_force", AgreementStatus.SIGNED, AgreementStatus.IN_FORCE),
    ]:
        AgreementEvent.objects.create(
            agreement=partnership,
            transition=move,
            from_status=before,
            to_status=after,
            occurred_on=day,
            actor=actor,
        )


def _action_plan(organisations: dict[str, Organisation]) -> None:
    plan, created = ActionPlan.objects.get_or_create(
        title_en="Joint action plan on temporary labour migration",
        defaults={
            "title_ka": "დროებითი შრომითი მიგრაციის ერთობლივი სამოქმედო გეგმა",
            "period": "2018–2019",
        },
    )
    if not created:
        return
    plan.organisations.set([o for o in (organisations.get("ministry"),) if o])
    rows = [
        (
            "TR",
            "თურქეთის სამთავრობო დელეგაციის ვიზიტის მომზადება",
            "Prepare the visit of Turkey's government delegation",
            "ministry",
            D(2018, 7, 31),
            ActionStatus.DONE,
        ),
        (
            "LT",
            "ლიეტუვასთან თანამშრომლობის სფეროების შეთანხმება საელჩოს მონაწილეობით",
            "Agree areas of cooperation with Lithuania, with the embassy",
            "embassy_LT",
            D(2018, 12, 31),
            ActionStatus.IN_PROGRESS,
        ),
        (
            "NO",
            "ნორვეგიის დამსაქმებლებთან კონტაქტების მოძიება",
            "Identify contacts with employers in Norway",
            "embassy_NO",
            D(2019, 6, 30),
            ActionStatus.OPEN,
        ),
        (
            "FR",
            "შეთანხმების ტექნიკური დეტალების დასრულება",
            "Settle the technical details of the agreement",
            "embassy_FR",
            D(2019, 4, 2),
            ActionStatus.DONE,
        ),
    ]
    for code, title_ka, title_en, owner, due, status in rows:
        if organisations.get(owner) is None:
            continue
        Action.objects.create(
            plan=plan,
            partner=PartnerCountry.objects.get(country_id=code),
            title_ka=title_ka,
            title_en=title_en,
            owner=organisations[owner],
            due_on=due,
            status=status,
        )


def partners_demo_load() -> int:
    """Create the demo partners with their stage history, engagements and Bulgaria's minimum
    wage. Returns how many partners were added."""
    actor = User.objects.filter(role=Role.MINISTRY_OFFICER).order_by("pk").first()
    organisations = _organisations()
    added = 0
    with transaction.atomic():
        for code, moves in HISTORY.items():
            if PartnerCountry.objects.filter(country_id=code).exists():
                continue
            start, first_source = STARTS.get(code, (None, None))
            if start is None:
                start = moves[0][0] - datetime.timedelta(days=30) if moves else D(2019, 4, 30)
            partner = PartnerCountry.objects.create(
                country_id=code, stage=CooperationStage.IDENTIFIED, stage_since=start
            )
            StageChange.objects.create(
                partner=partner,
                transition="identify",
                to_stage=CooperationStage.IDENTIFIED,
                occurred_on=start,
                actor=actor,
                source_document=first_source
                or (LETTER_2018 if start.year == 2017 else BRIEFING_2019),
            )
            stage = CooperationStage.IDENTIFIED
            for day, target, reason, source in moves:
                StageChange.objects.create(
                    partner=partner,
                    transition=target,
                    from_stage=stage,
                    to_stage=target,
                    occurred_on=day,
                    reason=reason,
                    source_document=source,
                    actor=actor,
                )
                stage = target
                partner.stage, partner.stage_since = target, day
            partner.save()
            added += 1
        for code, kind, day, place, summary_ka, summary_en, orgs in ENGAGEMENTS:
            partner = PartnerCountry.objects.get(country_id=code)
            engagement, created = Engagement.objects.get_or_create(
                partner=partner,
                kind=kind,
                occurred_on=day,
                defaults={
                    "place": place,
                    "summary_ka": summary_ka,
                    "summary_en": summary_en,
                    "created_by": actor,
                },
            )
            if created:
                engagement.organisations.set(
                    [organisations[o] for o in orgs if organisations.get(o)]
                )
        _agreements(actor, organisations)
        _mobility_partnership(actor, organisations)
        _action_plan(organisations)
        Decision.objects.get_or_create(
            partner=PartnerCountry.objects.get(country_id="BG"),
            verdict=Verdict.NOT_NOW,
            defaults={
                "decided_on": D(2019, 4, 30),
                "reasoning_ka": "ბულგარეთის შრომის ბაზარი საქართველოს მოქალაქეებისთვის ამჟამად "
                "ნაკლებად მიმზიდველია: მინიმალური ხელფასი 286 ევროა. ჯერ უკვე დაწყებული "
                "აქტივობები უნდა დასრულდეს და შესაბამისი სქემები ამოქმედდეს; ორმხრივი "
                "შეთანხმება ამ ეტაპზე მიზანშეწონილი არ არის.",
                "reasoning_en": "Bulgaria's labour market is not attractive enough for Georgians "
                "now: the minimum wage is 286 EUR. Finish the work already started and bring those "
                "schemes into operation first; a bilateral agreement is not advisable at this stage.",
                "author": actor,
            },
        )
        CountryIndicator.objects.get_or_create(
            country_id="BG",
            kind=IndicatorKind.MINIMUM_WAGE,
            period="2019",
            source=BRIEFING_2019,
            defaults={"value": Decimal(286), "unit": "per month", "currency": "EUR"},
        )
    return added
