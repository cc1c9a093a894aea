"""The demo's own complaints, used when the shared folder of real complaints is absent.

Written for the project (not taken from any source): typical 4S-store complaints in Chinese and
English. Names, phone numbers, plates and VINs are invented. `hours_ago` places the receipt
relative to the demo run; `plan` is the walk in `demo.PLANS` the complaint follows; `involved`
names the demo user complained about (SPEC §1: they may not handle it).
"""

BUILTIN_SOURCE = "complaintdesk demo"

BUILTIN_COMPLAINTS: list[dict] = [
    {
        "source_id": "demo-01",
        "hours_ago": 0.5,
        "plan": "received",
        "involved": "reception",
        "channel": "phone",
        "summary": "Receptionist hung up on me when I asked about my car",
        "description": (
            "I called the service desk to ask whether my X3 would be ready today. The "
            "receptionist said she was busy, told me to call back later and hung up before I "
            "could leave my number. Nobody called back."
        ),
        "customer_name": "David Miller",
        "customer_phone": "139 0000 0101",
        "plate": "沪A3K921",
        "vehicle_brand": "BMW",
        "vehicle_model": "X3 xDrive30i",
        "location": "电话 / by phone",
        "customer_demand": "An apology and a call when the car is ready.",
    },
    {
        "source_id": "demo-02",
        "hours_ago": 1.5,
        "plan": "received",
        "channel": "现场",
        "summary": "车机系统升级后导航和CarPlay无法使用",
        "description": (
            "客户昨日在店内做了车机系统升级，今天早上发现导航黑屏，CarPlay无法连接，"
            "客户认为是升级操作不当导致，情绪较激动。"
        ),
        "customer_name": "王磊",
        "customer_phone": "139 0000 0102",
        "plate": "沪BD12345",
        "vehicle_brand": "宝马",
        "vehicle_model": "iX3 领先型",
        "location": "售后接待区",
        "repair_order": "RO20261203-017",
        "customer_demand": "今天之内恢复导航功能",
    },
    {
        "source_id": "demo-03",
        "hours_ago": 5,
        "plan": "investigating",
        "channel": "现场",
        "summary": "提前预约保养，到店后被告知没有预约记录",
        "description": (
            "客户三天前通过电话预约今天上午9点保养，到店后接待称系统中没有预约，"
            "安排排队等候，客户等待了两个小时。"
        ),
        "customer_name": "李娜",
        "customer_phone": "139 0000 0103",
        "plate": "沪A7M235",
        "vehicle_brand": "宝马",
        "vehicle_model": "325Li M运动套装",
        "location": "售后接待区",
        "customer_demand": "说明原因并改进预约流程",
        "nature": "attitude",
    },
    {
        "source_id": "demo-04",
        "hours_ago": 20,
        "plan": "unreachable",
        "channel": "电话",
        "summary": "事故车定损金额与保险公司不一致，要求客户承担差价",
        "description": (
            "客户车辆追尾后在店维修，店方定损金额比保险公司核定多3200元，"
            "要求客户自行承担差价，客户认为店方应与保险公司协商。"
        ),
        "customer_name": "张伟",
        "customer_phone": "139 0000 0104",
        "plate": "苏E5G831",
        "vehicle_brand": "宝马",
        "vehicle_model": "530Li 豪华套装",
        "repair_order": "RO20261128-006",
        "customer_demand": "由店方与保险公司协商差价",
        "nature": "labour_charge",
    },
    {
        "source_id": "demo-05",
        "hours_ago": 26,
        "plan": "pending_approval",
        "channel": "电话",
        "summary": "行驶中偶发底盘异响，客户出差无法到店",
        "description": (
            "客户反映车辆过减速带时偶发底盘异响，已持续两周。客户近期在外地出差，"
            "一个月内无法到店检测。"
        ),
        "customer_name": "刘洋",
        "customer_phone": "139 0000 0105",
        "plate": "沪C2T806",
        "vehicle_brand": "宝马",
        "vehicle_model": "X5 xDrive40Li",
        "customer_demand": "回来后优先安排检测",
        "nature": "customer_no_time",
    },
    {
        "source_id": "demo-06",
        "hours_ago": 30,
        "plan": "management_review",
        "channel": "现场",
        "summary": "保养更换刹车片后低速制动异响",
        "description": (
            "上周在店做了4万公里保养并更换前刹车片，取车后低速制动时有明显尖锐异响，"
            "客户认为刹车片安装不到位。"
        ),
        "customer_name": "陈静",
        "customer_phone": "139 0000 0106",
        "plate": "沪A9P517",
        "vin": "LBV8W3103KMJ52718",
        "vehicle_brand": "宝马",
        "vehicle_model": "530Li 领先型",
        "location": "售后接待区",
        "repair_order": "RO20261126-031",
        "customer_demand": "免费检查并彻底解决异响",
        "nature": "quality",
    },
    {
        "source_id": "demo-07",
        "hours_ago": 40,
        "plan": "major_open",
        "channel": "信函",
        "summary": "交车前要求加价2万元才能按期提车",
        "description": (
            "合同约定本月15日前交车，临近交车日销售顾问通知车辆延期，"
            "并暗示加价2万元可优先提车。客户认为违反合同约定。"
        ),
        "customer_name": "杨帆",
        "customer_phone": "139 0000 0107",
        "vehicle_brand": "宝马",
        "vehicle_model": "X3 M40i",
        "location": "展厅",
        "customer_demand": "按合同价格按期交车",
        "nature": "sales_process",
    },
    {
        "source_id": "demo-08",
        "hours_ago": 50,
        "plan": "gm_decision",
        "channel": "电话",
        "summary": "左前大灯总成报价过高，质疑是否原厂件",
        "description": (
            "更换左前大灯总成报价8600元，客户称网上价格只有一半，质疑是否为原厂件，"
            "要求出示配件来源证明。"
        ),
        "customer_name": "赵敏",
        "customer_phone": "139 0000 0108",
        "plate": "苏A6H392",
        "vehicle_brand": "宝马",
        "vehicle_model": "320Li",
        "customer_demand": "降价或证明原厂件",
        "nature": "parts_price",
    },
    {
        "source_id": "demo-09",
        "hours_ago": 72,
        "plan": "pending",
        "channel": "现场",
        "summary": "变速箱控制模块缺货，已等待四周",
        "description": (
            "车辆变速箱控制模块故障，需从德国订货，客户已等待四周，店方无法给出到货时间，"
            "客户每天打车上班。"
        ),
        "customer_name": "黄磊",
        "customer_phone": "139 0000 0109",
        "plate": "沪A5N628",
        "vehicle_brand": "宝马",
        "vehicle_model": "X1 sDrive25Li",
        "repair_order": "RO20261105-012",
        "customer_demand": "提供代步车并明确到货时间",
        "nature": "parts_delay",
    },
    {
        "source_id": "demo-10",
        "hours_ago": 80,
        "plan": "accountability",
        "channel": "现场",
        "summary": "保养后车内有油手印和烟味，未使用座椅套",
        "description": (
            "取车时发现驾驶座有油手印，脚垫未放回，车内有明显烟味，维修时未使用座椅套和方向盘套。"
        ),
        "customer_name": "吴倩",
        "customer_phone": "139 0000 0110",
        "plate": "沪A8R143",
        "vehicle_brand": "MINI",
        "vehicle_model": "COOPER S 五门版",
        "location": "交车区",
        "repair_order": "RO20261129-022",
        "customer_demand": "清洗内饰并道歉",
    },
    {
        "source_id": "demo-11",
        "hours_ago": 96,
        "plan": "callback",
        "channel": "现场",
        "summary": "更换雨刮片被收取150元工时费",
        "description": "客户自带雨刮片请店里安装，结算时被收取工时费150元，事先无人告知。",
        "customer_name": "徐涛",
        "customer_phone": "139 0000 0111",
        "plate": "沪D4F276",
        "vehicle_brand": "宝马",
        "vehicle_model": "525Li",
        "repair_order": "RO20261129-040",
        "customer_demand": "退还工时费",
        "nature": "labour_charge",
    },
    {
        "source_id": "demo-12",
        "hours_ago": 100,
        "plan": "critical_open",
        "channel": "12315",
        "summary": "新车8000公里发动机渗油，要求更换发动机",
        "description": (
            "市场监管部门12315平台转来投诉：新车行驶8000公里发现发动机底部渗油，"
            "客户担心发动机质量，要求按三包规定更换发动机或退车，并称将联系媒体。"
        ),
        "customer_name": "孙悦",
        "customer_phone": "139 0000 0112",
        "plate": "沪AF83210",
        "vin": "WBA71DC0XNCH40523",
        "vehicle_brand": "宝马",
        "vehicle_model": "X5 xDrive30Li",
        "customer_demand": "更换发动机或退车",
        "nature": "quality",
    },
    {
        "source_id": "demo-13",
        "hours_ago": 120,
        "plan": "reopened",
        "channel": "电话回访",
        "summary": "刹车异响处理后复现，要求更换刹车盘",
        "description": (
            "回访时客户表示上次刹车异响处理后一周内问题复现，这是第三次进店处理同一问题，"
            "要求更换刹车盘。"
        ),
        "customer_name": "马丽",
        "customer_phone": "139 0000 0113",
        "plate": "沪A2W659",
        "vehicle_brand": "宝马",
        "vehicle_model": "530Li 领先型",
        "customer_demand": "更换刹车盘",
        "nature": "repeat_repair",
    },
    {
        "source_id": "demo-14",
        "hours_ago": 150,
        "plan": "resumed",
        "channel": "电话",
        "summary": "代驾送车保养后发现底盘刮痕",
        "description": (
            "客户安排代驾送车保养，取车后发现底盘护板有刮痕，来电投诉。"
            "交接时客户不在场，当时无法确认车辆状态。"
        ),
        "customer_name": "郭婷",
        "customer_phone": "139 0000 0114",
        "plate": "沪A6L804",
        "vehicle_brand": "宝马",
        "vehicle_model": "X3 xDrive25i",
        "repair_order": "RO20261125-009",
        "customer_demand": "查明责任，免费修复",
        "nature": "customer_absent",
    },
    {
        "source_id": "demo-15",
        "hours_ago": 160,
        "plan": "investigating",
        "involved": "advisor",
        "channel": "现场",
        "summary": "服务顾问解释保养项目时态度恶劣",
        "description": (
            "客户询问保养项目明细时，服务顾问不耐烦，多次打断客户说话，"
            "并说“不懂就别问”。客户要求当事人道歉。"
        ),
        "customer_name": "林峰",
        "customer_phone": "139 0000 0115",
        "plate": "沪A1B728",
        "vehicle_brand": "宝马",
        "vehicle_model": "320i M运动曜夜版",
        "location": "售后接待区",
        "customer_demand": "当事人道歉",
        "nature": "attitude",
    },
    {
        "source_id": "demo-16",
        "hours_ago": 170,
        "plan": "escalated",
        "channel": "现场",
        "summary": "发动机故障灯第三次亮起，两次维修未解决",
        "description": (
            "仪表盘发动机故障灯第三次亮起，此前两次维修均更换了点火线圈，问题仍未解决。"
            "客户认为技师水平不够。"
        ),
        "customer_name": "何军",
        "customer_phone": "139 0000 0116",
        "plate": "苏B3C517",
        "vehicle_brand": "宝马",
        "vehicle_model": "730Li 豪华套装",
        "repair_order": "RO20261120-015",
        "customer_demand": "彻底修好，否则要求厂家介入",
        "nature": "repeat_repair",
    },
    {
        "source_id": "demo-17",
        "hours_ago": 180,
        "plan": "pending",
        "channel": "网页表单",
        "summary": "空调出风口有霉味",
        "description": "开空调时出风口有明显霉味，上月保养时已做过空调清洗，客户质疑清洗未做。",
        "customer_name": "高洁",
        "customer_phone": "139 0000 0117",
        "plate": "沪A4E390",
        "vehicle_brand": "宝马",
        "vehicle_model": "225Li 旅行车",
        "customer_demand": "免费清洗蒸发箱",
        "nature": "unclear_quality",
    },
    {
        "source_id": "demo-18",
        "hours_ago": 200,
        "plan": "sent_back",
        "channel": "现场",
        "summary": "送修期间备用钥匙丢失，店方称不负责",
        "description": "客户送修时交了两把钥匙，取车时只归还一把，店方称找不到且不负责。",
        "customer_name": "罗强",
        "customer_phone": "139 0000 0118",
        "plate": "沪A7J462",
        "vehicle_brand": "宝马",
        "vehicle_model": "X2 sDrive25i",
        "customer_demand": "赔偿钥匙",
        "nature": "workplace_conduct",
    },
    {
        "source_id": "demo-19",
        "hours_ago": 240,
        "plan": "completed",
        "channel": "email",
        "summary": "Brakes squeal since the 60,000 km service",
        "description": (
            "Since the 60,000 km service last Tuesday the brakes squeal at low speed. Before the "
            "service there was no noise. I would like the work checked at no cost."
        ),
        "customer_name": "Sarah Johnson",
        "customer_phone": "+86 139 0000 0119",
        "plate": "沪A3X845",
        "vehicle_brand": "BMW",
        "vehicle_model": "530Li",
        "customer_demand": "Free inspection and repair",
        "nature": "quality",
    },
    {
        "source_id": "demo-20",
        "hours_ago": 300,
        "plan": "archived",
        "channel": "web",
        "summary": "Courtesy car promised but not provided",
        "description": (
            "When I booked the gearbox repair for my X5, the service advisor promised a "
            "courtesy car for the three days. On arrival I was told none was available and I "
            "had to take taxis."
        ),
        "customer_name": "Anna Schmidt",
        "customer_phone": "+86 139 0000 0120",
        "plate": "沪A5Y376",
        "vehicle_brand": "BMW",
        "vehicle_model": "X5 xDrive40Li",
        "customer_demand": "Refund of taxi costs",
        "nature": "delay",
    },
    {
        "source_id": "demo-21",
        "hours_ago": 350,
        "plan": "unfounded_archived",
        "channel": "现场",
        "summary": "怀疑保养时轮胎被调换",
        "description": "客户称保养后发现四条轮胎中有一条花纹较浅，怀疑被店方调换成旧胎。",
        "customer_name": "梁超",
        "customer_phone": "139 0000 0121",
        "plate": "沪A8S291",
        "vehicle_brand": "宝马",
        "vehicle_model": "X1 xDrive25Li",
        "repair_order": "RO20261116-027",
        "customer_demand": "赔偿新轮胎",
    },
    {
        "source_id": "demo-22",
        "hours_ago": 400,
        "plan": "archived",
        "channel": "电话",
        "summary": "钣喷承诺5个工作日交车，12天仍未完工",
        "description": (
            "车辆追尾后进店钣喷，承诺5个工作日交车，现已第12天仍未完工，期间无人主动告知进度。"
        ),
        "customer_name": "宋佳",
        "customer_phone": "139 0000 0122",
        "plate": "苏E2K638",
        "vehicle_brand": "宝马",
        "vehicle_model": "325Li",
        "repair_order": "RO20261110-004",
        "customer_demand": "尽快交车并补偿",
        "nature": "delay",
    },
    {
        "source_id": "demo-23",
        "hours_ago": 500,
        "plan": "pending_archived",
        "channel": "电话",
        "summary": "上月刚换的电瓶，停放三天无法启动",
        "description": "车辆停放三天后无法启动，电瓶上月刚在店内更换，客户质疑电瓶质量。",
        "customer_name": "韩雪",
        "customer_phone": "139 0000 0123",
        "plate": "沪A6U953",
        "vehicle_brand": "MINI",
        "vehicle_model": "COUNTRYMAN",
        "customer_demand": "免费更换电瓶",
        "nature": "unclear_quality",
    },
    {
        "source_id": "demo-24",
        "hours_ago": 600,
        "plan": "major_archived",
        "channel": "12315",
        "summary": "新车交付时后保险杠有补漆痕迹",
        "description": (
            "12315平台转办：客户提车一周后发现后保险杠有明显补漆痕迹，"
            "认为店方将问题车当新车销售，要求退车。"
        ),
        "customer_name": "唐宁",
        "customer_phone": "139 0000 0124",
        "plate": "沪AD56781",
        "vehicle_brand": "宝马",
        "vehicle_model": "i3 eDrive35L",
        "customer_demand": "退车",
        "nature": "sales_process",
    },
    {
        "source_id": "demo-25",
        "hours_ago": 700,
        "plan": "archived_no_callback",
        "channel": "onsite",
        "summary": "Swirl marks on the bonnet after the free car wash",
        "description": (
            "After the complimentary car wash at the end of my service there are swirl marks "
            "and a fine scratch on the bonnet that were not there before."
        ),
        "customer_name": "Wang Fang",
        "customer_phone": "139 0000 0125",
        "plate": "沪A2V784",
        "vehicle_brand": "BMW",
        "vehicle_model": "M340i",
        "customer_demand": "Polish the bonnet",
        "nature": "workplace_conduct",
    },
    {
        "source_id": "demo-26",
        "hours_ago": 800,
        "plan": "malicious_archived",
        "channel": "电话",
        "summary": "要求免费更换四条轮胎，否则曝光",
        "description": (
            "客户称保养时轮胎被扎，要求免费更换四条同品牌轮胎，否则在网上曝光。"
            "检查发现扎钉位置在胎侧，为行驶中造成。"
        ),
        "customer_name": "冯刚",
        "customer_phone": "139 0000 0126",
        "plate": "沪A9G305",
        "vehicle_brand": "宝马",
        "vehicle_model": "X3 xDrive28i",
        "customer_demand": "免费更换四条轮胎",
    },
    {
        "source_id": "demo-27",
        "hours_ago": 900,
        "plan": "voided",
        "channel": "现场",
        "summary": "保养后刹车异响（重复登记）",
        "description": "客户同一问题当天在前台和电话各登记了一次，本单为重复登记。",
        "customer_name": "陈静",
        "customer_phone": "139 0000 0106",
        "plate": "沪A9P517",
        "vehicle_brand": "宝马",
        "vehicle_model": "530Li 领先型",
    },
    {
        "source_id": "demo-28",
        "hours_ago": 1000,
        "plan": "unfounded",
        "channel": "第三方平台",
        "summary": "保养后发动机进水损坏，要求店方赔偿",
        "description": (
            "客户在投诉平台发帖称保养后发动机损坏，要求店方赔偿。检测发现发动机进水，"
            "与客户暴雨天涉水行驶有关。"
        ),
        "customer_name": "邓飞",
        "customer_phone": "139 0000 0128",
        "plate": "沪A4Q826",
        "vehicle_brand": "宝马",
        "vehicle_model": "530Li",
        "customer_demand": "赔偿发动机维修费",
    },
    {
        "source_id": "demo-29",
        "hours_ago": 1200,
        "plan": "archived",
        "channel": "信函",
        "summary": "续保时被要求购买店内指定保险才给办理上牌",
        "description": (
            "客户来信投诉：购车时销售顾问称必须在店内购买指定保险公司的商业险，"
            "否则不予办理上牌手续。"
        ),
        "customer_name": "曹阳",
        "customer_phone": "139 0000 0129",
        "vehicle_brand": "宝马",
        "vehicle_model": "X1 sDrive20Li",
        "customer_demand": "退还多收的保险费差价",
        "nature": "sales_process",
    },
    {
        "source_id": "demo-30",
        "hours_ago": 1400,
        "plan": "archived",
        "channel": "email",
        "summary": "Charged for a throttle body cleaning I never approved",
        "description": (
            "The invoice for my 30,000 km service included a throttle body cleaning for "
            "RMB 480. Nobody asked me before doing it and I do not think it was needed."
        ),
        "customer_name": "Michael Brown",
        "customer_phone": "+86 139 0000 0130",
        "plate": "沪A1D573",
        "vehicle_brand": "BMW",
        "vehicle_model": "320Li",
        "customer_demand": "Refund RMB 480",
        "nature": "labour_charge",
    },
]
