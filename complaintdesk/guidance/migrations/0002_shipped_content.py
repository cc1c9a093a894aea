"""The playbook as shipped (SPEC §8): handling principles, the four scripts with the customer's
possible answers, and the hotline's standard phrases, in Chinese and English, written for
complaintdesk. Shipped entries have no store; a store's CS director edits a copy of its own.

Scripts fit the first two steps (registering the form, determining responsibility): they are the
conversation with the customer before a handling opinion exists. Principles and hotline phrases
fit every nature and step.
"""

from django.db import migrations

SCRIPT_STEPS = ["register", "determine"]

PRINCIPLES = [
    (
        "listen",
        "耐心倾听，让客户把话说完",
        "Listen fully and let the customer vent",
        "先不要打断，也不要急着辩解。让客户把不满完整地说出来，情绪平复下来才能平心静气地沟通。"
        "一边听一边记下时间、经过和客户的要求。",
        "Do not interrupt and do not rush to defend the store. Let the customer say everything: "
        "only once the feelings have settled can you talk calmly. Note the time, what happened "
        "and what the customer wants while you listen.",
    ),
    (
        "apologise",
        "真诚道歉",
        "Apologise sincerely",
        "先为客户遇到的麻烦表示歉意。道歉是对客户感受的体谅，在事实查清之前并不等于承认责任。",
        "Begin by apologising for the trouble the customer has had. The apology is for how the "
        "customer feels; it does not admit fault before the facts are known.",
    ),
    (
        "separate-room",
        "请客户到单独的房间",
        "Take the customer to a separate room",
        "把客户请到洽谈室或休息室，避开其他客户：既不让不满扩散，也让客户感到被重视。",
        "Invite the customer into a meeting room away from other customers: the complaint does "
        "not spread, and the customer feels taken seriously.",
    ),
    (
        "never-argue",
        "绝不与客户争执",
        "Never argue",
        "语气平和，不争对错输赢。即使客户说得不对，争执也只会让事情升级。"
        "可以先说一句“谢谢您给我们提意见”。",
        "Keep a calm voice and do not try to win. Even when the customer is wrong, an argument "
        "only makes things worse. A good opening is “Thank you for telling us.”",
    ),
    (
        "explain-misunderstanding",
        "有误会时礼貌说明",
        "Explain a misunderstanding politely",
        "如果是客户误解了，要有礼有据地把事实讲清楚，给客户留面子，让客户心服口服。"
        "误会往往说明我们事先解释得不够。",
        "When the customer has misunderstood, set out the facts courteously and let the customer "
        "keep face. A misunderstanding usually means we did not explain well enough before.",
    ),
    (
        "hold-the-rules",
        "不违反规定无原则让步",
        "Do not give in against the rules",
        "可以灵活，但不能为了平息投诉而答应公司规定以外的条件。做不到的事不要承诺；"
        "超出自己权限的，请示上一处理层级。",
        "Be flexible, but never promise what the company rules do not allow just to end a "
        "complaint. Do not agree to what you cannot deliver; take anything beyond your authority "
        "to the next handling tier.",
    ),
    (
        "thank",
        "感谢客户",
        "Thank the customer",
        "结束时再次感谢客户把意见告诉我们——每一次投诉都是我们改进的机会。",
        "At the end, thank the customer again for telling us: every complaint is a chance to "
        "improve.",
    ),
    (
        "act-fast",
        "行动要快",
        "Act fast",
        "不要拖。拖得越久，客户越不满，问题越难解决。每一步都在系统时限内推进，"
        "答应客户的回复时间一定做到。",
        "Do not let it wait: the longer it takes, the angrier the customer and the harder the "
        "problem. Move every step within its deadline and keep every time you promise.",
    ),
    (
        "our-fault",
        "属于我方责任时",
        "When we are at fault",
        "向客户诚恳道歉，按客户方便的时间安排返修，相关费用由我方承担。",
        "Apologise sincerely, book the re-repair at a time that suits the customer, and bear the "
        "cost.",
    ),
    (
        "not-our-fault",
        "不属于我方责任时",
        "When we are not at fault",
        "耐心解释，注意不要伤到客户的感情；建议为车辆做一次免费检查，征得客户同意后再维修；"
        "收费上可以考虑适当优惠或减免工时费；最后再次感谢客户。",
        "Explain patiently without hurting the customer's feelings; offer a free inspection and "
        "repair only with the customer's consent; consider a discount or waiving the labour "
        "charge; and thank the customer again at the end.",
    ),
]

# code, natures, zh title, en title, zh text, en text, answers:
# (code, effect, remedies, zh answer, en answer, zh reply, en reply)
SCRIPTS = [
    (
        "parts-price",
        ["parts_price"],
        "配件价格太高",
        "Parts price too high",
        "理解您对价格的顾虑。我们店用的都是厂家原厂配件，每一件都经过质量检验，"
        "装在车上能保证车辆的性能和使用寿命。原厂件的供货渠道和管理成本高一些，"
        "所以价格比市面上的副厂件贵一点；但在我们店更换的配件都享受一年或两万公里"
        "（以先到者为准）的质量保证。市面上的配件来源复杂，真假不好分辨，"
        "装了质量差的配件反而容易引出新的故障。为了您的用车安全，我们还是建议使用原厂配件。",
        "I understand your concern about the price. Every part we fit is a genuine part from the "
        "manufacturer and has passed quality inspection, so your car keeps its performance and "
        "its service life. Genuine parts cost a little more than non-original ones because of "
        "the way they are supplied and handled, but every part we fit carries a warranty of one "
        "year or 20,000 km, whichever comes first. Parts on the open market are hard to tell "
        "apart, and a poor part can easily cause a new fault. For your safety we recommend "
        "genuine parts.",
        [
            (
                "accepts",
                "ends",
                ["explanation"],
                "接受解释",
                "Accepts the explanation",
                "谢谢您的理解。配件的质保凭证请您收好，有任何问题随时联系我们。",
                "Thank you for understanding. Please keep the parts' warranty record, and call "
                "us any time something is wrong.",
            ),
            (
                "asks-discount",
                "continues",
                [],
                "希望价格上有优惠",
                "Asks for a discount",
                "我把您的要求记下来，向主管申请后尽快给您答复。",
                "I will note your request, ask my manager and come back to you soon.",
            ),
            (
                "not-satisfied",
                "continues",
                [],
                "仍不接受",
                "Still does not accept",
                "我理解。我会把您的意见交给客户经理继续处理，并在规定时间内给您回复。",
                "I understand. I will pass your complaint to the customer manager, who will "
                "answer you within the time limit.",
            ),
        ],
    ),
    (
        "labour-charge",
        ["labour_charge"],
        "工时费太高",
        "Labour charge too high",
        "我们店所有维修项目的工时都按厂家规定的标准工时计算。标准工时不只是动手干活的时间，"
        "还包括故障诊断和这个项目的技术难度。维修中的每一步，小到一颗螺丝的拧紧力矩，"
        "都按厂家的技术标准操作，这样才能让车辆保持良好状态、延长使用寿命。"
        "所以也建议您按厂家的要求，定期到授权服务店做维护保养。",
        "Every job in our workshop is charged by the manufacturer's standard labour times. A "
        "standard time covers more than the hands-on work: it includes diagnosing the fault and "
        "the technical difficulty of the job. Every step, down to the torque of a single bolt, "
        "follows the manufacturer's specification, which keeps the car in good condition and "
        "lengthens its life. That is also why we recommend regular servicing at an authorised "
        "workshop, as the manufacturer requires.",
        [
            (
                "accepts",
                "ends",
                ["explanation"],
                "接受解释",
                "Accepts the explanation",
                "谢谢您的理解。工时明细我可以再逐项给您说明。",
                "Thank you. I am happy to go through the labour items with you one by one.",
            ),
            (
                "asks-waiver",
                "continues",
                [],
                "要求优惠或减免工时费",
                "Asks for a discount or a waiver of the labour charge",
                "我记下您的要求，按公司规定向主管申请，尽快答复您。",
                "I will note your request, ask my manager under our rules and answer you soon.",
            ),
            (
                "not-satisfied",
                "continues",
                [],
                "仍不接受",
                "Still does not accept",
                "我理解。我会把您的意见交给客户经理继续处理，并在规定时间内给您回复。",
                "I understand. I will pass your complaint to the customer manager, who will "
                "answer you within the time limit.",
            ),
        ],
    ),
    (
        "repeat-repair",
        ["repeat_repair"],
        "同一问题多次维修",
        "The same problem repaired again and again",
        "非常理解您的心情，车子反复进厂确实给您添了很多麻烦。有些故障是间歇性的，"
        "不一定每次都能出现，需要多次路试才能找到真正的原因。您每次修车以后，"
        "我们都会安排专人回访，就是为了跟踪维修的效果。如果问题还在，"
        "我们一方面会把您的情况如实反馈给厂家，请厂家给予技术支持，"
        "另一方面也会换一种检修思路来处理。",
        "I understand how frustrating it is to bring the car back again and again. Some faults "
        "are intermittent and do not show every time; it can take several road tests to find "
        "the real cause. After each visit someone calls you back, precisely to follow how the "
        "repair holds up. If the problem is still there, we will report your case to the "
        "manufacturer and ask for its technical support, and we will also try a different way "
        "of diagnosing it.",
        [
            (
                "agrees-inspection",
                "continues",
                ["free_inspection"],
                "同意再做一次检查并接受跟踪回访",
                "Agrees to a further inspection and a follow-up",
                "我们为您安排一次免费检查，时间按您方便来约，修好后再回访您。",
                "We will book a free inspection at a time that suits you and call you after "
                "the repair.",
            ),
            (
                "asks-manufacturer",
                "continues",
                [],
                "要求厂家介入或更换",
                "Wants the manufacturer involved, or a replacement",
                "我们会把您的情况报给厂家，由客户经理全程跟进；涉及三包的，按规定核实后答复您。",
                "We will report your case to the manufacturer and the customer manager will "
                "follow it throughout; where the three-guarantees rules apply, we will check "
                "them and answer you as they require.",
            ),
            (
                "not-satisfied",
                "continues",
                [],
                "仍不满意",
                "Still not satisfied",
                "我理解。我会请客户经理和技术负责人一起跟进，并在规定时间内给您答复。",
                "I understand. I will ask the customer manager and the technical lead to follow "
                "it up together, and we will answer you within the time limit.",
            ),
        ],
    ),
    (
        "delay",
        ["delay", "parts_delay"],
        "工期延误",
        "Delay of the work",
        "您好！您的心情我完全理解，让您久等了，非常抱歉。请允许我把情况跟您说明一下："
        "在您等候的这段时间，我们的技师对您的车做了全面检查，现在遇到的问题是"
        "（说明延误的原因，例如配件还没到、还需要进一步诊断）。"
        "预计还需要（　）小时。如果您有急事，我们可以派车送您到要去的地方，"
        "车修好后第一时间通知您；如果您愿意在店里等，我们会随时告诉您维修进度。"
        "您看这样可以吗？",
        "I completely understand, and I am very sorry to have kept you waiting. Let me explain: "
        "while you waited, our technician checked your car thoroughly, and the problem now is "
        "(the cause of the delay, e.g. a part has not arrived or more diagnosis is needed). We "
        "expect it to take about (  ) more hours. If you need to be somewhere, we can drive you "
        "there and call you as soon as the car is ready; if you would rather wait here, we will "
        "keep you informed of the progress. Would that be all right?",
        [
            (
                "shuttle-agreed",
                "ends",
                ["apology", "loan_car"],
                "同意由我方派车送往目的地",
                "Agrees to be driven to their destination by our car",
                "好的，我马上安排车送您，车修好后第一时间通知您。",
                "Fine, I will arrange the car now and call you as soon as yours is ready.",
            ),
            (
                "waits-informed",
                "ends",
                ["apology"],
                "同意在店等候，接受进度通报",
                "Agrees to wait at the store with progress updates",
                "谢谢您的耐心，我会定时向您通报维修进度。",
                "Thank you for your patience; I will update you on the progress regularly.",
            ),
            (
                "wants-loan-car",
                "continues",
                [],
                "要求提供代步车",
                "Wants a loan car",
                "我马上请示主管，按公司规定为您安排代步车，并告诉您结果。",
                "I will ask my manager at once about a loan car under our rules and tell you "
                "the result.",
            ),
            (
                "still-complains",
                "continues",
                [],
                "仍要投诉或要求赔偿",
                "Still wants to complain, or asks for compensation",
                "我理解。我会把您的投诉和要求交给客户经理处理，并在规定时间内给您答复。",
                "I understand. I will pass your complaint and your request to the customer "
                "manager, who will answer you within the time limit.",
            ),
        ],
    ),
]

PHRASES = [
    (
        "hotline-greeting",
        "问候",
        "Greeting",
        "您好，这里是（店名）客户服务中心，我是（姓名/工号），很高兴为您服务。请问有什么可以帮您？",
        "Hello, this is the customer service centre of (store). My name is (name / staff "
        "number). How can I help you?",
    ),
    (
        "hotline-apology",
        "致歉",
        "Apology",
        "给您带来不便，真的很抱歉。谢谢您把情况告诉我们。",
        "I am really sorry for the trouble. Thank you for letting us know.",
    ),
    (
        "hotline-details",
        "记录信息",
        "Taking the details",
        "为了尽快帮您处理，我需要记录几项信息：您的姓名和联系电话、车牌号、"
        "事情发生的时间和经过，以及您希望我们怎样解决。",
        "So that we can deal with it quickly, may I take a few details: your name and phone "
        "number, the plate number, when and what happened, and how you would like us to "
        "resolve it?",
    ),
    (
        "hotline-callback",
        "承诺回电",
        "Promise of a call back",
        "您的意见我已经记录下来，并转给了负责人，我们会在（时限）内给您回电话。"
        "客服中心的工作时间是 8:00–11:30 和 14:00–18:00，工作时间以外的来电我们会在下一个工作时段回复。"
        "请问这个号码方便接听吗？",
        "I have recorded your complaint and passed it to the person in charge; we will call you "
        "back within (time limit). Our customer service centre works 8:00–11:30 and "
        "14:00–18:00; calls outside those hours are answered in the next working period. Is "
        "this number a good one to reach you?",
    ),
    (
        "hotline-closing",
        "结束语",
        "Closing",
        "感谢您的来电和宝贵意见，祝您用车愉快，再见！",
        "Thank you for calling and for your feedback. Have a good day, goodbye.",
    ),
]


def load(apps, schema_editor):
    Entry = apps.get_model("guidance", "GuidanceEntry")
    Branch = apps.get_model("guidance", "ScriptBranch")
    for order, (code, title_zh, title_en, body_zh, body_en) in enumerate(PRINCIPLES):
        Entry.objects.create(
            code=code,
            kind="principle",
            title_zh=title_zh,
            title_en=title_en,
            body_zh=body_zh,
            body_en=body_en,
            order=order * 10,
        )
    for order, (code, natures, title_zh, title_en, body_zh, body_en, answers) in enumerate(
        SCRIPTS
    ):
        entry = Entry.objects.create(
            code=code,
            kind="script",
            title_zh=title_zh,
            title_en=title_en,
            body_zh=body_zh,
            body_en=body_en,
            natures=natures,
            steps=SCRIPT_STEPS,
            order=order * 10,
        )
        for i, (b_code, effect, remedies, label_zh, label_en, reply_zh, reply_en) in enumerate(
            answers
        ):
            Branch.objects.create(
                entry=entry,
                code=b_code,
                effect=effect,
                remedies=remedies,
                label_zh=label_zh,
                label_en=label_en,
                reply_zh=reply_zh,
                reply_en=reply_en,
                order=i,
            )
    for order, (code, title_zh, title_en, body_zh, body_en) in enumerate(PHRASES):
        Entry.objects.create(
            code=code,
            kind="phrase",
            title_zh=title_zh,
            title_en=title_en,
            body_zh=body_zh,
            body_en=body_en,
            order=order * 10,
        )


def unload(apps, schema_editor):
    apps.get_model("guidance", "GuidanceEntry").objects.filter(store__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("guidance", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
