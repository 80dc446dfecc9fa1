"""The demo call (China's Chang'e-8 call for international partners) and demo accounts."""

import datetime as dt
import io
import zoneinfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from portal.accounts.models import User
from portal.accounts.roles import ensure_programme_office_group
from portal.organisations.models import Membership, Organisation, Role

from .letters import actions
from .models import Call, CooperationMode, Criterion, DocumentType, LetterOfIntent, Reviewer
from .reviewing import assignments
from .uploads import inspect_upload

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

DEMO_ACCOUNTS = [
    # e-mail, password, name, programme officer
    ("applicant@example.org", "moon-applicant-2024", "Amina Okafor", False),
    ("reviewer@example.org", "moon-reviewer-2024", "Rafael Souza", False),
    ("officer@example.org", "moon-officer-2024", "Li Wei", True),
    ("partner@example.org", "moon-applicant-2024", "Camila Rojas", False),
]

CALL_DESCRIPTION = (
    "The China National Space Administration invites space agencies, international "
    "organisations, universities, research institutes and companies to cooperate on the "
    "Chang'e-8 mission, which will land near the lunar south pole and test technologies for "
    "the International Lunar Research Station.\n\n"
    "Cooperation shares costs and resources, brings in expertise, gives partners visibility "
    "and public support, and strengthens international relations. In the original call, "
    "letters of intent were due by 31 December 2023 (Beijing time) and partners were to be "
    "selected in September 2024; the deadline that applies here is shown beside this text. "
    "The lander reserves about 200 kg for international payloads."
)
CALL_DESCRIPTION_ZH = (
    "中国国家航天局邀请各国航天机构、国际组织、大学、科研院所和企业参与嫦娥八号任务合作。"
    "嫦娥八号将在月球南极附近着陆，并为国际月球科研站开展技术验证。\n\n"
    "合作可以分担成本与资源、汇聚专业能力、提升合作方的影响力与公众支持，并促进国际关系。"
    "在原始征集中，意向书须于2023年12月31日（北京时间）前提交，合作伙伴于2024年9月确定；"
    "本门户适用的截止时间见本文旁。"
    "着陆器为国际载荷预留约200千克。"
)

MODES = [
    (
        1,
        "Launch and operate your own spacecraft within the mission",
        "在任务框架内发射并运行自己的航天器",
        "Your spacecraft flies with the mission and is operated by you. Describe its mass, power "
        "and data needs and how it is launched.",
        "您的航天器随任务发射并由您运行。请说明其质量、功率和数据需求以及发射方式。",
        ["mass_kg", "power_w", "data_volume_gb"],
    ),
    (
        2,
        "Spacecraft-to-spacecraft interaction",
        "航天器间交互",
        "Your spacecraft interacts with the mission's spacecraft (relay, joint observation, "
        "docking experiments). Describe the interfaces and the data exchanged.",
        "您的航天器与任务航天器进行交互（中继、联合观测、对接试验）。请说明接口与交换的数据。",
        ["data_volume_gb"],
    ),
    (
        3,
        "Joint exploration of the lunar surface",
        "月面联合探测",
        "Your instrument or payload is carried by the mission's lander or rover. Describe its "
        "mass, power and data volume.",
        "您的仪器或载荷由任务着陆器或月球车搭载。请说明其质量、功率和数据量。",
        ["mass_kg", "power_w", "data_volume_gb"],
    ),
    (
        4,
        "An independently deployed module",
        "独立部署的模块",
        "Your module is set down on the surface once the lander is down, then works on its own. "
        "Describe its mass, power and data needs.",
        "着陆器落月后，您的模块被部署到月面并独立工作。请说明其质量、功率和数据需求。",
        ["mass_kg", "power_w", "data_volume_gb"],
    ),
]

DOCUMENT_TYPES = [
    (
        "signed-letter",
        "Signed letter from an authorised representative",
        "授权代表签署函",
        "A PDF of the letter of intent signed by someone entitled to commit the organisation.",
        "由有权代表机构作出承诺的人员签署的意向书PDF文件。",
        [1, 2, 3, 4],
    ),
    (
        "technical-annex",
        "Technical annex",
        "技术附件",
        "Design, interfaces, mass and power budget, test status.",
        "设计、接口、质量与功率预算、试验状态。",
        [1, 3, 4],
    ),
    (
        "interface-description",
        "Interface description",
        "接口说明",
        "How your spacecraft communicates or interacts with the mission's spacecraft.",
        "您的航天器如何与任务航天器通信或交互。",
        [2],
    ),
]


# The rubric, from the benefits of cooperation the call names: name, Chinese, what to judge, weight.
CRITERIA = [
    (
        "Scientific and exploration value",
        "科学与探测价值",
        "What the mission and lunar science gain from the proposal.",
        "该提案对任务和月球科学的贡献。",
        3,
    ),
    (
        "Technical feasibility and readiness",
        "技术可行性与成熟度",
        "Whether it can be built, qualified and integrated in time (TRL, mass, power, data).",
        "能否按时研制、鉴定和集成（技术成熟度、质量、功率、数据）。",
        3,
    ),
    (
        "Shared costs and resources",
        "成本与资源分担",
        "What the partner funds and provides itself.",
        "合作方自行承担的经费和提供的资源。",
        2,
    ),
    (
        "Expertise contributed",
        "贡献的专业能力",
        "Skills, heritage and facilities the partner brings.",
        "合作方带来的技能、经验和设施。",
        2,
    ),
    (
        "Visibility and public support",
        "影响力与公众支持",
        "Outreach, education and public interest the cooperation creates.",
        "合作带来的宣传、教育和公众关注。",
        1,
    ),
    (
        "International relations",
        "国际关系",
        "How the cooperation strengthens relations between the partners' countries.",
        "合作对加强各方国家间关系的作用。",
        1,
    ),
]


@transaction.atomic
def seed(historical=False, now=None):
    now = now or timezone.now()
    if historical:
        opens_at = dt.datetime(2023, 4, 25, 0, 0, tzinfo=SHANGHAI)
        deadline = dt.datetime(2023, 12, 31, 23, 59, 59, tzinfo=SHANGHAI)
        review_deadline = dt.datetime(2024, 6, 30, 23, 59, 59, tzinfo=SHANGHAI)
        selection_date = dt.date(2024, 9, 30)
    else:
        today = now.astimezone(SHANGHAI).date()
        opens_at = dt.datetime.combine(today - dt.timedelta(days=30), dt.time(0, 0), SHANGHAI)
        deadline = dt.datetime.combine(today + dt.timedelta(days=60), dt.time(23, 59, 59), SHANGHAI)
        review_deadline = deadline + dt.timedelta(days=120)
        selection_date = (deadline + dt.timedelta(days=270)).date()
    call, _ = Call.objects.update_or_create(
        slug="change-8",
        defaults={
            "title": "Chang'e-8 international cooperation: call for letters of intent",
            "title_zh": "嫦娥八号国际合作意向书征集",
            "description": CALL_DESCRIPTION,
            "description_zh": CALL_DESCRIPTION_ZH,
            "opens_at": opens_at,
            "deadline": deadline,
            "time_zone": "Asia/Shanghai",
            "review_deadline": review_deadline,
            "selection_date": selection_date,
            "reference_prefix": "CE8",
        },
    )
    modes, _required, _criteria = configure(call)

    users = {}
    for email, password, name, officer in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first() or User(email=email)
        user.full_name = name
        user.is_programme_officer = officer
        user.is_staff = officer
        user.set_password(password)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if officer:
            user.groups.add(ensure_programme_office_group())
        users[email] = user

    applicant = users["applicant@example.org"]
    organisation, _ = Organisation.objects.get_or_create(
        legal_name="Lunar Instruments Institute",
        defaults={
            "short_name": "LII",
            "kind": Organisation.Kind.RESEARCH,
            "country": "NG",
            "website": "https://lii.example.org",
            "postal_address": "12 Observatory Road\nAbuja\nNigeria",
            "contact_name": applicant.full_name,
            "contact_email": applicant.email,
        },
    )
    Membership.objects.get_or_create(
        organisation=organisation, user=applicant, defaults={"role": Role.OWNER}
    )
    LetterOfIntent.objects.get_or_create(
        call=call,
        organisation=organisation,
        title="Regolith Dust Spectrometer (RDS)",
        defaults={
            "mode": modes[3],
            "summary": "A 4 kg spectrometer that measures charged dust near the south pole.",
            "objectives": "Characterise dust levitation across the lunar day.",
            "contact_name": applicant.full_name,
            "contact_email": applicant.email,
            "created_by": applicant,
        },
    )
    reviewer = _seed_reviewer(call, users["reviewer@example.org"], users["officer@example.org"])
    if not historical:
        _seed_submitted_letter(call, modes[3], reviewer, users)
    return call


def configure(call):
    """The Chang'e-8 cooperation modes, document types and rubric on `call`, written again where
    they exist. Returns the modes by number, each mode's required document types by its id,
    and the criteria in order."""
    modes = {}
    for number, name, name_zh, description, description_zh, fields in MODES:
        modes[number], _ = CooperationMode.objects.update_or_create(
            call=call,
            number=number,
            defaults={
                "name": name,
                "name_zh": name_zh,
                "description": description,
                "description_zh": description_zh,
                "technical_fields": fields,
            },
        )
    required: dict[int, list[DocumentType]] = {mode.pk: [] for mode in modes.values()}
    for position, row in enumerate(DOCUMENT_TYPES):
        code, name, name_zh, description, description_zh, required_by = row
        document_type, _ = DocumentType.objects.update_or_create(
            call=call,
            code=code,
            defaults={
                "name": name,
                "name_zh": name_zh,
                "description": description,
                "description_zh": description_zh,
                "position": position,
            },
        )
        document_type.required_for.set([modes[number] for number in required_by])
        for number in required_by:
            required[modes[number].pk].append(document_type)
    criteria = []
    for position, (name, name_zh, description, description_zh, weight) in enumerate(CRITERIA):
        criterion, _ = Criterion.objects.update_or_create(
            call=call,
            name=name,
            defaults={
                "name_zh": name_zh,
                "description": description,
                "description_zh": description_zh,
                "weight": weight,
                "position": position,
            },
        )
        criteria.append(criterion)
    return modes, required, criteria


def _seed_reviewer(call, user, officer):
    reviewer, created = Reviewer.objects.get_or_create(
        call=call,
        email=user.email,
        defaults={
            "user": user,
            "affiliation": "São Paulo Planetary Institute",
            "country": "BR",
            "invited_by": officer,
            "accepted_at": timezone.now(),
        },
    )
    if created:
        reviewer.expertise.set(call.modes.all())
    return reviewer


def _seed_submitted_letter(call, mode, reviewer, users):
    """A second organisation's filed letter, assigned to the demo reviewer, so every role has
    something to do on first run."""
    owner = users["partner@example.org"]
    organisation, created = Organisation.objects.get_or_create(
        legal_name="Andean Space Robotics",
        defaults={
            "short_name": "ASR",
            "kind": Organisation.Kind.COMPANY,
            "country": "CL",
            "postal_address": "Avenida del Cielo 200\nSantiago\nChile",
            "contact_name": owner.full_name,
            "contact_email": owner.email,
        },
    )
    Membership.objects.get_or_create(
        organisation=organisation, user=owner, defaults={"role": Role.OWNER}
    )
    if not created:
        return
    letter = actions.start_letter(
        user=owner, organisation=organisation, call=call, mode=mode, title="Polar Micro-Rover"
    )
    letter = actions.save_letter(
        letter_id=letter.pk,
        user=owner,
        expected_version=letter.version,
        changes={
            "summary": "A 9 kg rover that maps water ice in a permanently shadowed crater.",
            "objectives": "Map surface ice within 500 m of the lander.",
            "contribution": "Rover, its ground segment and two years of operations.",
            "mass_kg": 9,
            "power_w": 40,
            "data_volume_gb": 120,
            "trl": 6,
            "funding_status": LetterOfIntent.Funding.SECURED,
            "timeline": "Flight model delivered 18 months before launch.",
            "contact_name": owner.full_name,
            "contact_email": owner.email,
        },
    )
    for document_type in call.document_types.filter(required_for=mode):
        upload = SimpleUploadedFile(f"{document_type.code}.pdf", _blank_pdf())
        actions.add_document(
            letter_id=letter.pk,
            user=owner,
            document_type=document_type,
            stored_file=upload,
            inspected=inspect_upload(upload, settings.DOCUMENT_MAX_BYTES),
            original_name=f"{document_type.code}.pdf",
        )
    letter.refresh_from_db()
    actions.submit(letter_id=letter.pk, user=owner, expected_version=letter.version)
    assignments.assign(user=reviewer.invited_by, reviewer_id=reviewer.pk, letter_id=letter.pk)


def _blank_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
