"""Reason texts for the model's factors and the policy rules: what a declined customer reads in the app and what
the risk officer sees. Codes are stable; texts may be reworded."""

REASONS: dict[str, tuple[str, str]] = {
    "RECENT_LATE_PAYMENT": ("近两个月有逾期还款记录", "Late repayments in the last two months"),
    "PAST_LATE_PAYMENT": ("近六个月内有逾期还款记录", "Late repayments in the last six months"),
    "WORST_DELAY": ("历史最长逾期时间较长", "A long worst delay in repayment"),
    "MONTHS_LATE": ("逾期月份较多", "Several months with late repayment"),
    "FEW_FULL_REPAYMENTS": ("全额还款的月份较少", "Few months repaid in full"),
    "LOW_EXISTING_LIMIT": ("现有授信额度较低", "Low existing credit limits"),
    "HIGH_UTILISATION": ("授信额度使用率较高", "High use of existing credit lines"),
    "LOW_REPAYMENT": ("还款金额相对账单金额偏低", "Repayments low compared with balances"),
    "GROWING_BALANCE": ("欠款余额持续增长", "Balances growing over recent months"),
    # policy rules
    "AGE_OUT_OF_BOUNDS": ("年龄不在产品准入范围内", "Age outside the product's range"),
    "CURRENT_OVERDUE": ("征信显示当前存在逾期", "A repayment is currently overdue at the bureau"),
    "IDENTITY_NOT_VERIFIED": ("身份未通过核验", "Identity not verified"),
    "BUSINESS_TOO_YOUNG": ("经营年限不足", "Business younger than the product minimum"),
    "BLACKLISTED": ("未通过内部风险名单核查", "Internal risk list check not passed"),
    "DEBT_TO_INCOME_TOO_HIGH": ("负债收入比过高", "Debt too high compared with revenue"),
    "KNOWN_COURT_RECORD": ("存在法院失信被执行人记录", "A court's dishonest-debtor record stands"),
    "KNOWN_RISK_ON_FILE": ("本行已掌握的预警或外部记录需人工审核",
                           "A warning or outside record the bank holds: referred to a risk officer"),
    "CREDIT_DATA_MISSING": ("征信或税务数据缺失", "Credit bureau or tax data missing"),
    "HIGH_RISK_GRADE": ("综合信用评分未达到要求", "Overall credit score below the requirement"),
    "BORDERLINE_RISK_GRADE": ("需人工审核", "Referred to a risk officer"),
    "INSUFFICIENT_REPAYMENT_CAPACITY": ("经核实的经营收入不足以支持最低额度",
                                        "Verified revenue too low for the minimum line"),
    "NO_CREDIT_HISTORY": ("征信无记录，需人工审核", "No credit bureau record: referred to a risk officer"),
    "FACE_MATCH_BORDERLINE": ("人脸比对需人工复核", "Face match needs a person to check"),
    "FACE_MISMATCH": ("人脸与身份证照片不一致", "Face does not match the ID card"),
    "ID_NUMBER_CHECK_DIGIT": ("身份证号码校验位错误", "ID number check digit is wrong"),
    "ID_CARD_EXPIRED": ("身份证已过有效期", "ID card has expired"),
    "NAME_MISMATCH": ("姓名与身份证不一致", "Name does not match the ID card"),
    # why a photo must be taken again (what the app shows beside the document)
    "OCR_UNREADABLE": ("证件文字无法识别，请在光线充足处对准证件重拍", "The card's text could not be read"),
    "OCR_LOW_CONFIDENCE": ("证件照片不够清晰，请对准证件重拍", "The card's photo is not clear enough"),
    "IMAGE_UNREADABLE": ("照片无法打开，请重新拍摄", "The picture could not be opened"),
    "IMAGE_TOO_MANY_PIXELS": ("照片像素过高，请用手机相机的普通拍照模式重新拍摄（不超过5000万像素）",
                              "The picture has more pixels than accepted (50 million at most)"),
    "DOCUMENT_NOT_READ": ("照片暂时未能识别，请重新拍摄上传", "The picture could not be read; take it again"),
    "WRONG_FILE_TYPE": ("请上传照片（JPG或PNG）", "Not a JPEG or PNG picture"),
    "FILE_TOO_LARGE": ("照片过大，请重新拍摄", "The picture is too large"),
    "FILE_MISSING": ("照片未上传成功，请重新上传", "The upload did not arrive"),
    "NO_FACE": ("未检测到人脸，请正对镜头重拍", "No face in the picture"),
    "MULTIPLE_FACES": ("照片中有多张人脸，请单独拍摄", "More than one face in the picture"),
    "FACE_BLURRY": ("人脸照片模糊，请保持手机稳定重拍", "The face is blurred"),
    "FACE_NOT_FRONTAL": ("请正对镜头拍摄", "The face is not turned to the camera"),
    "TOO_DARK": ("光线太暗，请在明亮处重拍", "The picture is too dark"),
    "SUNGLASSES": ("请摘下墨镜后重拍", "Sunglasses hide the eyes"),
    "ID_BIRTH_DATE_MISMATCH": ("身份证号码与出生日期不一致", "The ID number does not match the birth date"),
    "ID_SEX_MISMATCH": ("身份证号码与性别不一致", "The ID number does not match the sex"),
    "ID_PROVINCE_INVALID": ("身份证号码的地区代码无效", "The ID number's region code is not valid"),
}


def text(code: str) -> tuple[str, str]:
    return REASONS.get(code, (code, code))
