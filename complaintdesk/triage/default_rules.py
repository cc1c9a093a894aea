"""The built-in triage rules (issue 6), written for complaintdesk from SPEC §3, the labelling guide
(data/LABELLING.md) and the vocabulary of dealership complaints; no text of any data set is
copied here. Migrations load them (sync_default_rules); a CS director adapts them per dealer group
in the rule editor (/triage/rules/) without changing these.

Weights act as priorities (see engine.py): plain component words 1, defect symptoms 3, attitude
2.5, delay 3, charges 3.5–4, the decisive process signals (repeat repair, unclear cause, sales
framing) 4, waiting for parts and damage done in the workshop 4.5, loan servicing 4. Severity:
critical triggers 3, major triggers 2, weak hints 1.5. Department words 1.5–4.

Chinese keywords are separated by spaces, English ones by "|". Chinese keywords match anywhere
in the text ("part") unless listed in a "word" group: those need jieba to cut them as whole
words (不理 must not fire inside 不理想).

The notes are marked with gettext_noop (imported as _ so makemessages finds them): the stored
note stays English; the rule pages show a built-in rule's note in the reader's language.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop as _

from complaintdesk.complaints.choices import Nature as N
from complaintdesk.complaints.choices import Severity as S
from complaintdesk.org.models import DepartmentKind as D

NATURE, SEVERITY, DEPARTMENT = "nature", "severity", "department"
ZH, EN, ANY = "zh", "en", "any"
WORD, PART = "word", "part"

# (target, value, weight, language, match, note, keywords)
GROUPS: list[tuple[str, str, float, str, str, str, str]] = [
    # --- nature: quality (质量问题) ---------------------------------------------------------
    (
        NATURE,
        N.QUALITY,
        3,
        ZH,
        PART,
        _("a defect symptom"),
        "异响 噪音 杂音 共振 漏油 渗油 漏水 渗水 进水 漏风 漏气 漏液 漏防冻液 抖动 顿挫 打滑 "
        "故障灯 故障码 失灵 失效 黑屏 死机 卡顿 花屏 自动重启 断裂 开裂 裂纹 爆裂 破裂 生锈 锈蚀 "
        "腐蚀 氧化 鼓包 起泡 掉漆 脱落 变形 松动 熄火 无法启动 启动困难 打不着火 烧机油 机油消耗 "
        "拉缸 跑偏 吃胎 偏磨 异常磨损 异味 不制冷 不制热 亏电 漏电 损坏 缺陷 质量问题 质量差 "
        "无力 动力弱 不亮 失去动力 卡滞 过热 水温高 油耗高 色差 掉皮 脱胶 无法使用 不工作 坏了 "
        "报警 故障 掉落 动力不足 起步缓慢 缓慢 消失 机油增多 温度高 共鸣 断电 摩擦声 声音大 电流声 "
        "怠速不稳 不稳 裂痕 凹凸 塌陷 晃动 自动加速 自动打开 不回位 不能使用 无法锁止 续航不足 "
        "不达标 破损 泄漏 渗漏 发黄 发白 白雾 起雾 闪退 迟钝 偏软 不准 无反应 延迟 自燃 烧毁 "
        "乳化 无法加速 无法挂 无法换挡 不自动回位 接触不良 结冰 缺失",
    ),
    (
        NATURE,
        N.QUALITY,
        2,
        ZH,
        PART,
        _("the store or maker refuses the warranty: still a defect to fix"),
        "不予保修 不保修 不给保修 拒绝保修 拒保 拒赔 不予索赔 拒绝索赔 不予理赔 不予质保 "
        "不给质保 拒绝更换 召回",
    ),
    (
        NATURE,
        N.QUALITY,
        2.5,
        ZH,
        PART,
        _("parts not as they should be (non-original, used)"),
        "外采件 副厂件 副厂配件 非原厂 旧件 以旧充新 以次充好 调包",
    ),
    (
        NATURE,
        N.QUALITY,
        1,
        ZH,
        PART,
        _("a component is named"),
        "发动机 变速箱 变速器 离合器 刹车 制动 方向盘 方向机 转向 底盘 悬挂 减震 轮胎 轮毂 天窗 "
        "车机 中控 空调 大灯 车灯 座椅 车窗 玻璃 雨刮 电瓶 蓄电池 电池 车门 后备箱 仪表 导航 音响 "
        "喇叭 气囊 安全带 油箱 水箱 节温器 水泵 涡轮 排气管 三元催化 密封条 尾灯 电机",
    ),
    (
        NATURE,
        N.QUALITY,
        3,
        EN,
        WORD,
        _("a defect symptom"),
        "fail|failed|failure|failing|malfunction|malfunctioned|malfunctioning|broke|broken|"
        "cracked|crack|shattered|leak|leaking|leaked|leaks|noise|noises|rattle|rattling|"
        "vibration|vibrates|stall|stalled|stalling|won't start|will not start|would not start|"
        "inoperable|inoperative|stopped working|not working|does not work|did not work|"
        "doesn't work|quit working|loose|detached|flew off|came off|came loose|came open|"
        "warning light|check engine|light came on|stuck|froze|frozen|overheat|overheating|"
        "overheated|jerk|jerks|jerked|hesitation|hesitates|grinding|squeal|squealing|unlatched|"
        "unlatch|on its own|by itself|faulty|rust|rusted|rusting|corrosion|peeling|fell off|"
        "blew open|flew open",
    ),
    (NATURE, N.QUALITY, 3, EN, PART, _("a defect word, any ending"), "defect|explod|shatter"),
    (
        NATURE,
        N.QUALITY,
        2,
        EN,
        WORD,
        _("a recall or a safety system that did not work"),
        "recall|recalls|deploy|did not deploy|failed to deploy|not covered|denied warranty|"
        "refused to cover",
    ),
    (
        NATURE,
        N.QUALITY,
        1,
        EN,
        WORD,
        _("a component is named"),
        "engine|transmission|brake|brakes|steering|airbag|air bag|seat belt|seatbelt|door|latch|"
        "hood|tailgate|liftgate|window|windshield|wiper|wipers|sunroof|moonroof|tire|tires|wheel|"
        "suspension|battery|alternator|fuel pump|headlight|headlights|mirror|trim|molding|"
        "child seat|ignition|axle|radiator|clutch",
    ),
    # --- nature: repeat repair (同一问题多次维修) -----------------------------------------
    (
        NATURE,
        N.REPEAT_REPAIR,
        4,
        ZH,
        PART,
        _("repaired more than once, or the repair did not solve it"),
        "多次维修 维修多次 反复维修 多次修理 屡修 修不好 维修未解决 维修后未解决 修后未解决 "
        "维修无果 维修无效 处理后未解决 已维修未解决 返修 修出新问题 修出问题 维修后出现 保养后出现 "
        "维修后又 维修后依然 维修后仍 换件未解决 更换后仍 更换后依然 更换后还 维修导致 保养导致 "
        "修坏 多次往返 多次进店 反复出现 依然存在 问题依旧 还是没修好 维修了几次 修了几次 "
        "更换两次 换了两次 多次更换 更换无果 多次处理 处理未解决 维修后问题未解决 无法修复 "
        "多次故障 反复故障",
    ),
    (
        NATURE,
        N.REPEAT_REPAIR,
        3.5,
        ZH,
        PART,
        _("a problem after the store's own work (返修)"),
        "维修后 保养后 更换后 大修后 召回后 换错 加错 装错 错误维修 维修错误 后依然 后仍 后没有解决",
    ),
    (
        NATURE,
        N.REPEAT_REPAIR,
        3,
        ZH,
        PART,
        _("the fault is still there after handling"),
        "反复 依然 仍然 再次出现 又出现 还是存在 再次 第四次 第五次 第六次 好几次 无数次",
    ),
    (
        NATURE,
        N.REPEAT_REPAIR,
        2,
        ZH,
        PART,
        _("more than once"),
        "多次 几次 第二次 第三次 两次 三次",
    ),
    (
        NATURE,
        N.REPEAT_REPAIR,
        4,
        EN,
        WORD,
        _("repaired more than once, or not fixed"),
        "repaired several times|repaired multiple times|multiple repairs|several repairs|"
        "numerous repairs|repeated repairs|repaired again|still not fixed|not fixed|never fixed|"
        "did not fix|didn't fix|failed to fix|could not fix|couldn't fix|unable to fix|"
        "same problem again|same issue again|numerous occasions|several occasions|"
        "multiple occasions|third time|fourth time|fifth time|keeps coming back|took it back|"
        "brought it back|taken back|back to the dealer|back to the dealership|"
        "replaced again|replaced twice|repaired twice|after being repaired|after it was repaired|"
        "2nd time|3rd time|4th time|5th time",
    ),
    (
        NATURE,
        N.REPEAT_REPAIR,
        2.5,
        EN,
        WORD,
        _("more than once"),
        "repeatedly|second time|several times|multiple times|numerous times|again",
    ),
    # --- nature: unclear quality (原因不明) ----------------------------------------------
    (
        NATURE,
        N.UNCLEAR_QUALITY,
        4,
        ZH,
        PART,
        _("the cause is not known or the store finds nothing"),
        "原因不明 不明原因 查不出 查不到原因 检测不出 检查不出 找不到原因 找不出原因 找不到故障 "
        "无法确定原因 无法判断 判断不准确 不能确定 时有时无 间歇性 正常现象 属于正常 属正常 "
        "说正常 检测正常 检查正常 试车正常 一切正常 无法复现 不能复现 没有检测出 人为损坏 "
        "使用不当",
    ),
    (
        NATURE,
        N.UNCLEAR_QUALITY,
        2,
        ZH,
        PART,
        _("a symptom without a known cause"),
        "偶发 偶尔 无故 无缘无故 莫名 不定时 有时候",
    ),
    (
        NATURE,
        N.UNCLEAR_QUALITY,
        4,
        EN,
        WORD,
        _("the cause is not known or the dealer finds nothing"),
        "can't duplicate|cannot duplicate|could not duplicate|couldn't duplicate|"
        "unable to duplicate|could not replicate|couldn't replicate|unable to replicate|"
        "can't replicate|could not reproduce|unable to reproduce|could not find the problem|"
        "couldn't find the problem|could not find anything|couldn't find anything|"
        "no problem found|found nothing wrong|nothing wrong|could not diagnose|"
        "unable to diagnose|could not determine|unable to determine|no codes|is normal|"
        "was normal|operating as designed|working as designed|within specification|"
        "unknown cause|cause is unknown",
    ),
    (
        NATURE,
        N.UNCLEAR_QUALITY,
        2.5,
        EN,
        WORD,
        _("an intermittent symptom"),
        "intermittent|intermittently|randomly|for no reason|no apparent reason|sporadically|"
        "sometimes",
    ),
    # --- nature: sales process (销售问题) -----------------------------------------------
    (
        NATURE,
        N.SALES_PROCESS,
        4.5,
        ZH,
        PART,
        _("a wrong done at the sale"),
        "与宣传不符 宣传不符 与实际不符 与官方宣传不符 虚假宣传 虚假销售 销售欺诈 欺骗消费者 "
        "配置不符 减配 库存车 问题车 事故车 泡水车 二次喷漆 喷过漆 翻新车 调表 维修痕迹 打磨过 "
        "焊接痕迹 定金 订金 加价 金融服务费 服务费 上牌费 出库费 手续费 承诺不兑现 未兑现 不兑现 "
        "没兑现 置换补贴 强制购买保险 强制购买 捆绑销售 低开发票 少开发票 合格证 无法兑现 老款 "
        "当新款 当新车 冒充 实车不符 强制加装",
    ),
    (
        NATURE,
        N.SALES_PROCESS,
        3,
        ZH,
        PART,
        _("a sale, a contract or a promise"),
        "合同 违约 欺诈 误导消费 虚假 赠送 补贴 旅游基金 贷款购车 月供 按揭 发票 上牌 随车 "
        "销售顾问 销售人员 卖车 购车时 提车时 交车时 保养券 优惠券 出售 登记证 手续不齐 车钥匙 "
        "加装 不履行 未履行 免费保养",
    ),
    (NATURE, N.SALES_PROCESS, 2, ZH, PART, _("something does not match"), "不符 保险费 强制"),
    (
        NATURE,
        N.SALES_PROCESS,
        2,
        ZH,
        PART,
        _("the sale is mentioned"),
        "销售 宣传 购车 买车 提车 交车 交付 新车 展车 金融 贷款 红包 活动",
    ),
    (
        NATURE,
        N.SALES_PROCESS,
        4.5,
        EN,
        WORD,
        _("a wrong done at the sale"),
        "bait and switch|misrepresented|misrepresentation|did not disclose|didn't disclose|"
        "not disclosed|undisclosed|false advertising|misleading advertising|markup|"
        "sales contract|purchase agreement|added fees|dealer fees|doc fee|hidden fees",
    ),
    (
        NATURE,
        N.SALES_PROCESS,
        3,
        EN,
        WORD,
        _("a sale, a contract or a promise"),
        "salesman|salesperson|sales manager|finance manager|advertised|advertising|misleading|"
        "lied about|down payment|deposit|contract|add on|add-on|trade in|trade-in|sold me|"
        "test drove|getting a loan or lease|signing the paperwork|paperwork|temporary tag|"
        "prior damage|extended warranty",
    ),
    (
        NATURE,
        N.SALES_PROCESS,
        2,
        EN,
        WORD,
        _("the sale is mentioned"),
        "purchased|bought|new car|financed through|interest rate|approved|title|registration|"
        "register the car",
    ),
    # --- nature: attitude (服务态度) ----------------------------------------------------
    (
        NATURE,
        N.ATTITUDE,
        2.5,
        ZH,
        PART,
        _("how the customer was treated"),
        "态度 服务差 服务不好 不理睬 不搭理 爱答不理 不理不睬 推诿 推卸 踢皮球 敷衍 不回复 "
        "未回复 不回应 不接电话 挂电话 辱骂 威胁 不耐烦 冷漠 刁难 置之不理 不作为 拒绝处理 "
        "不予处理 投诉无门 无人处理 隐瞒 欺骗 区别对待 不负责任 不属实 扣留 扣车",
    ),
    (NATURE, N.ATTITUDE, 4, ZH, PART, _("violence against the customer"), "打人 动手"),
    (NATURE, N.ATTITUDE, 2.5, ZH, WORD, _("how the customer was treated (whole word)"), "不理 骂"),
    (NATURE, N.ATTITUDE, 1.5, ZH, PART, _("the matter is not handled"), "不解决 不处理 否认 拒绝"),
    (
        NATURE,
        N.ATTITUDE,
        2.5,
        EN,
        WORD,
        _("how the customer was treated"),
        "rude|unprofessional|disrespectful|ignored|ignoring|ignore|hung up|yelled|"
        "no response|never called back|did not call back|didn't call back|never returned|"
        "would not return|wouldn't return|refused to help|attitude|run around|runaround|"
        "lied|liar|condescending|no one would help",
    ),
    (NATURE, N.ATTITUDE, 1.5, EN, WORD, _("the matter is not handled"), "refused|treated"),
    # --- nature: workplace conduct (文明生产) -------------------------------------------
    (
        NATURE,
        N.WORKPLACE_CONDUCT,
        4.5,
        ZH,
        PART,
        _("damage or dirt while in the store's care"),
        "划伤 划痕 刮伤 刮花 刮擦 磕碰 碰伤 弄脏 油污 抽烟 吸烟 烟头 座套 三件套 没套 未套 "
        "物品丢失 东西丢失 车内物品 脏",
    ),
    (
        NATURE,
        N.WORKPLACE_CONDUCT,
        3,
        ZH,
        PART,
        _("careless or irregular work in the workshop"),
        "不规范 操作不当 野蛮操作 违规操作 疏忽 粗心 拆坏 忘记 过度维修 剐蹭",
    ),
    (
        NATURE,
        N.WORKPLACE_CONDUCT,
        4,
        EN,
        WORD,
        _("damage or dirt while in the dealer's care"),
        "scratched|scratches|scratch|dented|dent|dirty|grease|greasy|smoking in|cigarette|"
        "seat cover|seat covers|items missing|missing items|damaged my car|damaged my vehicle|"
        "left the car dirty",
    ),
    # --- nature: delay (工期延误) -------------------------------------------------------
    (
        NATURE,
        N.DELAY,
        3,
        ZH,
        PART,
        _("the work takes longer than promised"),
        "工期 还没修好 没修好 迟迟 周期长 时间长 太久 耽误 延期 延误 逾期 不能按时 无法按时 "
        "未按时 不按时 至今未 一个多月 几个月 两个月 三个月 半个月 个月了 一直在修 一直没修 "
        "拖了 时间过长 不发车 不发货 代步车",
    ),
    (NATURE, N.DELAY, 2.5, ZH, PART, _("dragging on"), "拖延 拖着 等待"),
    (NATURE, N.DELAY, 3, ZH, WORD, _("waited (whole words)"), "等了"),
    (
        NATURE,
        N.DELAY,
        3,
        EN,
        WORD,
        _("the work takes longer than promised"),
        "delay|delayed|delays|taking too long|took too long|too long|still waiting|"
        "in the shop for|been at the dealer|been at the dealership|weeks|months",
    ),
    (NATURE, N.DELAY, 2, EN, WORD, _("waiting"), "waited|waiting|loaner|rental car"),
    # --- nature: parts price (配件价格) -------------------------------------------------
    (
        NATURE,
        N.PARTS_PRICE,
        4,
        ZH,
        PART,
        _("the price of parts"),
        "配件价格 配件贵 配件太贵 配件费 零件贵 零件价格 配件价 天价配件 配件报价 更换费用",
    ),
    (NATURE, N.PARTS_PRICE, 1.5, ZH, PART, _("a price is disputed"), "价格高 太贵 报价高 价格贵"),
    (
        NATURE,
        N.PARTS_PRICE,
        4,
        EN,
        WORD,
        _("the price of parts"),
        "price of the part|parts price|part price|cost of the part|overpriced",
    ),
    (NATURE, N.PARTS_PRICE, 1.5, EN, WORD, _("a price is disputed"), "expensive|price"),
    # --- nature: labour charge (工时费 and other service-side charges) ----------------------
    (
        NATURE,
        N.LABOUR_CHARGE,
        3.5,
        ZH,
        PART,
        _("a service-side charge"),
        "工时费 工时 乱收费 收费 检测费 拆检费 诊断费 维修费 费用高 多收 加收 变相收费 强制消费 "
        "保养套餐 燃油宝 收取",
    ),
    (
        NATURE,
        N.LABOUR_CHARGE,
        3,
        ZH,
        PART,
        _("pushed to buy at the service"),
        "诱导消费 引导消费 捆绑 套餐 押金 成本高 不予免费 购买保养",
    ),
    (
        NATURE,
        N.LABOUR_CHARGE,
        3.5,
        EN,
        WORD,
        _("a service-side charge"),
        "labor|labour|labor cost|diagnostic fee|diagnosis fee|inspection fee|hourly rate|"
        "overcharged|overcharge|charged me",
    ),
    (NATURE, N.LABOUR_CHARGE, 1.5, EN, WORD, _("a charge is mentioned"), "charged|fee|estimate"),
    # --- nature: parts delay (配件延时) -------------------------------------------------
    (
        NATURE,
        N.PARTS_DELAY,
        4.5,
        ZH,
        PART,
        _("waiting for parts"),
        "等配件 等零件 缺件 缺配件 无配件 没有配件 没配件 没有零件 无零件 缺货 无货 没货 配件不到 "
        "不到货 未到货 没到货 订货 调货 配件短缺 零件短缺 配件紧张 配件迟迟 无法提供配件 "
        "不能提供配件 配件没到 无法提供 无升级包",
    ),
    (
        NATURE,
        N.PARTS_DELAY,
        4.5,
        EN,
        WORD,
        _("waiting for parts"),
        "back order|back ordered|backorder|backordered|back-ordered|parts were not available|"
        "part was not available|part is not available|parts are not available|"
        "not yet available|waiting for parts|waiting on parts|waiting for the part|"
        "waiting on a part|waiting for a part|no parts|parts shortage|parts unavailable|"
        "part unavailable",
    ),
    # --- nature: customer absent / no time (客户不在场 / 客户没有时间) ---------------------
    (
        NATURE,
        N.CUSTOMER_ABSENT,
        3,
        ZH,
        PART,
        _("decided or done without the owner"),
        "客户不在场 车主不在 不在场 未经车主 未经同意 未经允许 未告知车主 私自",
    ),
    (
        NATURE,
        N.CUSTOMER_ABSENT,
        3,
        EN,
        WORD,
        _("decided or done without the owner"),
        "without my consent|without my permission|without authorization|without my knowledge",
    ),
    (
        NATURE,
        N.CUSTOMER_NO_TIME,
        3,
        ZH,
        PART,
        _("the customer cannot spare the time"),
        "没时间 没有时间 工作忙 请假 走不开 耽误工作 来回跑",
    ),
    (
        NATURE,
        N.CUSTOMER_NO_TIME,
        3,
        EN,
        WORD,
        _("the customer cannot spare the time"),
        "take time off|time off work|no time|miss work|missed work",
    ),
    # --- nature: other (loan servicing, insurance) -------------------------------------
    (
        NATURE,
        N.OTHER,
        4,
        EN,
        WORD,
        _("servicing of a loan or lease after the sale"),
        "repossess|repossessed|repossession|credit report|credit reporting|credit bureau|"
        "credit score|payoff|pay off|billing|billing statement|late fee|late fees|"
        "late payment|charge off|charged off|collection|collections|gap insurance|refinance|"
        "refinanced|managing the loan or lease|struggling to pay|end of the lease|end of lease|"
        "identity theft|lower payments|insurance claim",
    ),
    (
        NATURE,
        N.OTHER,
        3,
        EN,
        PART,
        _("repossession or refinancing, any ending"),
        "repossess|refinanc",
    ),
    (
        NATURE,
        N.OTHER,
        2.5,
        ZH,
        PART,
        _("insurance or paperwork outside the store's work"),
        "保险理赔 年检 报废",
    ),
    # --- severity: critical (重特大: public or legal impact) -------------------------------
    (
        SEVERITY,
        S.CRITICAL,
        3,
        ZH,
        PART,
        _("media, lawyers, regulators, harm, fire, loss of control, refund or replacement"),
        "媒体 曝光 记者 电视台 律师 起诉 法院 诉讼 仲裁 市场监管 工商局 消协 消费者协会 质监 "
        "受伤 伤亡 死亡 住院 发生事故 导致事故 造成事故 出事故 交通事故 车祸 撞车 相撞 追尾 碰撞 "
        "起火 自燃 着火 冒烟 燃烧 烧毁 刹车失灵 制动失灵 刹车失效 制动失效 转向失灵 方向失灵 "
        "转向失效 助力失效 高速熄火 行驶中熄火 行驶时熄火 行驶过程中熄火 行驶中失去动力 失去动力 "
        "动力消失 动力中断 突然加速 自动加速 突然断电 暴冲 失控 打人 轮胎脱落 车轮脱落 退车 退款 三包 集体投诉 "
        "维权 群体",
    ),
    (
        SEVERITY,
        S.CRITICAL,
        3,
        ZH,
        WORD,
        _("a regulator; a new car instead (whole words: not 置换车辆)"),
        "工商 换车",
    ),
    (SEVERITY, S.CRITICAL, 3, ANY, WORD, _("the consumer hotline"), "12315"),
    (
        SEVERITY,
        S.CRITICAL,
        3,
        EN,
        WORD,
        _("lawyers, regulators, harm, fire, loss of control, buy-back"),
        "lawsuit|sue|sued|attorney|lawyer|legal action|court|police|attorney general|was hurt|"
        "were hurt|got hurt|been hurt|"
        "killed|death|died|ambulance|accident|crash|crashed|collision|wreck|fire|caught fire|"
        "flames|burned|burning|lost power|loss of power|lost steering|no brakes|"
        "brakes failed|brake failure|unintended acceleration|sudden acceleration|"
        "accelerated on its own|flew off|came off|wheel came off|buy back|buyback|lemon law|"
        "lemon|replace the vehicle|class action|news report|newspaper|media|reporter",
    ),
    (
        SEVERITY,
        S.CRITICAL,
        3,
        EN,
        PART,
        _("injuries, hospital stays, smoke; any ending"),
        "injur|hospital|smoke",
    ),
    # --- severity: major (重大) -----------------------------------------------------------
    (
        SEVERITY,
        S.MAJOR,
        2,
        ZH,
        PART,
        _("a safety risk, refused warranty, a sales wrong, a long wait, money at stake"),
        "安全隐患 隐患 影响安全 危险 熄火 无法行驶 多次维修 反复维修 维修多次 不予保修 不保修 "
        "不给保修 拒绝保修 拒赔 不予索赔 拒绝索赔 不予理赔 不予质保 推卸责任 不予处理 与宣传不符 "
        "虚假宣传 宣传不符 与实际不符 虚假 欺诈 欺骗 问题车 事故车 泡水车 二次喷漆 库存车 调表 一个多月 两个月 几个月 "
        "半年 爆胎 赔偿 气囊",
    ),
    (
        SEVERITY,
        S.MAJOR,
        1.5,
        ZH,
        PART,
        _("a hint of a bigger matter"),
        "安全问题 故障灯 报警 多次 不解决 不处理 未解决 拒绝 补偿 索赔",
    ),
    (
        SEVERITY,
        S.MAJOR,
        2,
        EN,
        WORD,
        _("a safety risk, refused warranty, a sales wrong, a long wait, money at stake"),
        "safety hazard|safety issue|safety concern|safety risk|dangerous|danger|hazard|"
        "could have|could cause|warning light|airbag light|abs light|stall|stalled|stalling|"
        "shattered|exploded|several times|multiple times|numerous|repeatedly|refused to|"
        "denied|not covered|fraud|fraudulent|deceptive|misleading|bait and switch|"
        "did not disclose|repossessed|refund|months",
    ),
    (
        SEVERITY,
        S.MAJOR,
        1.5,
        EN,
        WORD,
        _("a hint of a bigger matter"),
        "safety|check engine|won't start|out of pocket|weeks",
    ),
    # --- department --------------------------------------------------------------------
    (
        DEPARTMENT,
        D.SALES,
        2.5,
        ZH,
        PART,
        _("the sale"),
        "销售 销售顾问 销售人员 销售经理 购车 买车 提车 交车 交付 定金 订金 合同 展车 库存车 "
        "上牌 合格证 赠送 置换",
    ),
    (DEPARTMENT, D.SALES, 1.5, ZH, PART, _("a new car"), "新车"),
    (
        DEPARTMENT,
        D.SERVICE,
        2,
        ZH,
        PART,
        _("the workshop and the service reception"),
        "维修 保养 售后 服务顾问 技师 维修技术 车间 检测 修理 返修 质保 保修 索赔 召回",
    ),
    (DEPARTMENT, D.PARTS, 2.5, ZH, PART, _("spare parts"), "配件 零件 缺件 原厂件 副厂件"),
    (
        DEPARTMENT,
        D.PARTS,
        3,
        ZH,
        PART,
        _("non-original or used parts fitted"),
        "外采件 副厂配件 非原厂 旧件 以旧充新",
    ),
    (
        DEPARTMENT,
        D.BODYSHOP,
        3,
        ZH,
        PART,
        _("paint and body"),
        "钣金 喷漆 补漆 钣喷 漆面 掉漆 油漆 车漆 色差 生锈 锈蚀 凹陷 凹坑 划痕 划伤 刮花 磕碰 定损",
    ),
    (
        DEPARTMENT,
        D.FINANCE,
        3,
        ZH,
        PART,
        _("money and papers owed after the deal"),
        "发票 开票 退款 按揭 月供 利息 贷款 保险金 押金 退还 登记证 手续不齐",
    ),
    (
        DEPARTMENT,
        D.CS_CENTER,
        1.5,
        ZH,
        PART,
        _("the handling of complaints"),
        "投诉 客服 回访 热线 不回复 未回复",
    ),
    (
        DEPARTMENT,
        D.GM_OFFICE,
        4,
        ZH,
        PART,
        _("the dealer as a company"),
        "倒闭 跑路 关门 停业 老板 总经理",
    ),
    (
        DEPARTMENT,
        D.MANAGEMENT,
        3,
        ZH,
        PART,
        _("store-wide rules and discipline"),
        "管理部 管理制度",
    ),
    (
        DEPARTMENT,
        D.SALES,
        2.5,
        EN,
        WORD,
        _("the sale"),
        "salesman|salesperson|sales manager|sales rep|test drove|trade in|trade-in|"
        "down payment|deposit|new car|advertised|markup|dealer fees|add on|add-on|sold me",
    ),
    (
        DEPARTMENT,
        D.SERVICE,
        2,
        EN,
        WORD,
        _("the workshop and the service reception"),
        "service department|service advisor|service manager|mechanic|technician|recall|"
        "warranty|repair|repaired|diagnosed",
    ),
    (
        DEPARTMENT,
        D.PARTS,
        2.5,
        EN,
        WORD,
        _("spare parts"),
        "parts|part number|back order|backorder",
    ),
    (
        DEPARTMENT,
        D.BODYSHOP,
        3,
        EN,
        WORD,
        _("paint and body"),
        "paint|body shop|rust|rusted|rusting|dent|dented|scratch|scratched|corrosion|"
        "bodywork|body work",
    ),
    (
        DEPARTMENT,
        D.FINANCE,
        3,
        EN,
        WORD,
        _("money and papers owed after the deal"),
        "loan|lease|leased|financing|interest rate|payment|payments|payoff|pay off|"
        "credit report|credit score|billing|statement|late fee|repossessed|repossession|"
        "gap insurance|refinance|lender|apr|invoice|refund",
    ),
    (
        DEPARTMENT,
        D.CS_CENTER,
        1.5,
        EN,
        WORD,
        _("the handling of complaints"),
        "customer service|customer relationship|case number|no response|never responded",
    ),
    (
        DEPARTMENT,
        D.GM_OFFICE,
        4,
        EN,
        WORD,
        _("the dealer as a company"),
        "went out of business|out of business|closed down|general manager|owner of the dealership",
    ),
]


def split_keywords(language: str, text: str) -> list[str]:
    if language == EN:
        return [k.strip() for k in text.split("|") if k.strip()]
    return text.split()


def default_rules() -> list[dict]:
    """Every built-in rule as field values; a keyword given twice for the same target, value
    and language keeps its first weight."""
    seen = set()
    out = []
    for target, value, weight, language, match, note, keywords in GROUPS:
        for keyword in split_keywords(language, keywords):
            key = (keyword.lower(), language, target, str(value))
            if key in seen:
                continue
            seen.add(key)
            out.append(
                {
                    "keyword": keyword,
                    "language": language,
                    "match": match,
                    "target": target,
                    "value": str(value),
                    "weight": weight,
                    "note": note,
                }
            )
    return out
