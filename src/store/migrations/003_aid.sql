-- 003: aid programmes, applications ("五有"), fund accounts and the
-- ledger, condolence campaigns, donated goods, micro-loans.

CREATE TABLE programs (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	standard_fen BIGINT NOT NULL CHECK (standard_fen >= 0),
	max_fen BIGINT NOT NULL CHECK (max_fen >= standard_fen),
	deadline_workdays BIGINT NOT NULL CHECK (deadline_workdays BETWEEN 1 AND 60),
	documents TEXT NOT NULL DEFAULT '[]', -- JSON array of document names
	tiers TEXT NOT NULL,                  -- JSON [{"level","max_fen"}], ascending
	rules TEXT NOT NULL DEFAULT '{}',     -- JSON, see rules/eligibility.h
	active BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	version BIGINT NOT NULL DEFAULT 1,
	updated_at TEXT NOT NULL
);

CREATE TABLE campaigns (
	id {{ID}},
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	name TEXT NOT NULL,
	period TEXT NOT NULL,
	amounts TEXT NOT NULL,                -- JSON {"dibao":fen,...}
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL
);

CREATE TABLE applications (
	id {{ID}},
	household_id BIGINT NOT NULL REFERENCES households(id),
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	program_code TEXT NOT NULL REFERENCES programs(code),
	program_version BIGINT NOT NULL,
	program_snapshot TEXT NOT NULL,       -- the programme as it was when filed
	member_id BIGINT REFERENCES members(id),
	campaign_id BIGINT REFERENCES campaigns(id),
	status TEXT NOT NULL CHECK (status IN ('submitted', 'verified', 'approved', 'disbursed',
		'receipted', 'closed', 'rejected', 'withdrawn')),
	version BIGINT NOT NULL DEFAULT 1,
	requested_fen BIGINT NOT NULL CHECK (requested_fen >= 0),
	approved_fen BIGINT CHECK (approved_fen >= 0),
	disbursed_fen BIGINT NOT NULL DEFAULT 0 CHECK (disbursed_fen >= 0),
	refunded_fen BIGINT NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0 AND refunded_fen <= disbursed_fen),
	reason TEXT,
	documents TEXT NOT NULL DEFAULT '[]',
	year BIGINT NOT NULL,
	school_year TEXT,
	due_date TEXT NOT NULL,
	required_level TEXT NOT NULL CHECK (required_level IN ('street', 'district', 'city')),
	account_id BIGINT,
	signed_by TEXT,
	signed_on TEXT,
	report TEXT,
	submitted_by BIGINT REFERENCES users(id),
	approved_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	disbursed_at TEXT,
	closed_at TEXT
);
CREATE INDEX applications_household ON applications (household_id, program_code, year);
CREATE INDEX applications_org_status ON applications (org_id, status);
CREATE INDEX applications_status_due ON applications (status, due_date);
CREATE INDEX applications_campaign ON applications (campaign_id);
CREATE INDEX applications_disbursed ON applications (disbursed_at);
-- a household is covered by a campaign at most once
CREATE UNIQUE INDEX applications_campaign_household ON applications (campaign_id, household_id)
	WHERE campaign_id IS NOT NULL;

CREATE TABLE application_events (
	id {{ID}},
	application_id BIGINT NOT NULL REFERENCES applications(id),
	at TEXT NOT NULL,
	user_id BIGINT REFERENCES users(id),
	action TEXT NOT NULL,
	from_status TEXT,
	to_status TEXT,
	comment TEXT
);
CREATE INDEX application_events_app ON application_events (application_id, id);

CREATE TABLE fund_accounts (
	id {{ID}},
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	source TEXT NOT NULL CHECK (source IN ('union', 'government', 'donation', 'social')),
	year BIGINT NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	name TEXT NOT NULL,
	balance_fen BIGINT NOT NULL DEFAULT 0 CHECK (balance_fen >= 0), -- RULE funds.never_negative
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL
);
CREATE INDEX fund_accounts_org ON fund_accounts (org_id);

CREATE TABLE fund_transfers (
	id {{ID}},
	from_account_id BIGINT NOT NULL REFERENCES fund_accounts(id),
	to_account_id BIGINT NOT NULL REFERENCES fund_accounts(id),
	amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
	note TEXT,
	created_by BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL
);

-- One row per movement; amount signed (+ in, − out); balance after it.
CREATE TABLE ledger (
	id {{ID}},
	account_id BIGINT NOT NULL REFERENCES fund_accounts(id),
	at TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('deposit', 'transfer_in', 'transfer_out', 'disbursement',
		'refund', 'loan_repayment', 'card_purchase')),
	amount_fen BIGINT NOT NULL CHECK (amount_fen <> 0),
	balance_fen BIGINT NOT NULL CHECK (balance_fen >= 0),
	application_id BIGINT REFERENCES applications(id),
	transfer_id BIGINT REFERENCES fund_transfers(id),
	note TEXT,
	user_id BIGINT REFERENCES users(id)
);
CREATE INDEX ledger_account ON ledger (account_id, id);
CREATE INDEX ledger_at ON ledger (at);
CREATE INDEX ledger_application ON ledger (application_id);

CREATE TABLE goods (
	id {{ID}},
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	name TEXT NOT NULL,
	unit TEXT NOT NULL,
	stock BIGINT NOT NULL DEFAULT 0 CHECK (stock >= 0), -- RULE goods.never_negative
	created_at TEXT NOT NULL
);
CREATE TABLE goods_moves (
	id {{ID}},
	goods_id BIGINT NOT NULL REFERENCES goods(id),
	kind TEXT NOT NULL CHECK (kind IN ('receipt', 'handout')),
	quantity BIGINT NOT NULL CHECK (quantity > 0),
	stock_after BIGINT NOT NULL CHECK (stock_after >= 0),
	donor TEXT,
	household_id BIGINT REFERENCES households(id),
	date TEXT NOT NULL,
	note TEXT,
	user_id BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL
);
CREATE INDEX goods_moves_goods ON goods_moves (goods_id, id);

CREATE TABLE loans (
	id {{ID}},
	application_id BIGINT NOT NULL UNIQUE REFERENCES applications(id),
	household_id BIGINT NOT NULL REFERENCES households(id),
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	principal_fen BIGINT NOT NULL CHECK (principal_fen > 0),
	term_months BIGINT NOT NULL CHECK (term_months BETWEEN 1 AND 120),
	start_date TEXT NOT NULL,
	repaid_fen BIGINT NOT NULL DEFAULT 0 CHECK (repaid_fen >= 0 AND repaid_fen <= principal_fen),
	created_at TEXT NOT NULL
);
CREATE TABLE loan_instalments (
	id {{ID}},
	loan_id BIGINT NOT NULL REFERENCES loans(id),
	seq BIGINT NOT NULL,
	due_date TEXT NOT NULL,
	amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
	paid_fen BIGINT NOT NULL DEFAULT 0 CHECK (paid_fen >= 0 AND paid_fen <= amount_fen),
	UNIQUE (loan_id, seq)
);
CREATE TABLE loan_repayments (
	id {{ID}},
	loan_id BIGINT NOT NULL REFERENCES loans(id),
	amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
	date TEXT NOT NULL,
	note TEXT,
	user_id BIGINT REFERENCES users(id),
	created_at TEXT NOT NULL
);

-- The seven default programmes (DESIGN.md §2.4); amounts in fen.
INSERT INTO programs (code, name, description, standard_fen, max_fen, deadline_workdays, documents, tiers, rules, updated_at) VALUES
('living', '生活救助', '家庭人均收入低于当地最低生活保障标准，或遭遇突发性灾难、事故，生活十分困难的职工（含农民工）', 30000, 300000, 6,
 '["救助申请书","身份证复印件","低保证或单位/社区出具的困难证明"]',
 '[{"level":"street","max_fen":100000},{"level":"district","max_fen":500000},{"level":"city","max_fen":null}]',
 '{"requires_active":true,"max_income_pct":100,"or_causes":["accident","disaster"],"cap_household_year":1,"disability_extra_fen":30000}', '2026-01-01T00:00:00Z'),
('medical', '医疗救助', '本人、配偶或子女患重大疾病，或因工伤住院治疗，医疗费用负担较重的职工', 100000, 1000000, 6,
 '["救助申请书","身份证复印件","医院诊断证明","医疗费用票据"]',
 '[{"level":"street","max_fen":100000},{"level":"district","max_fen":500000},{"level":"city","max_fen":null}]',
 '{"requires_active":true,"causes_any":["illness_self","illness_family","work_injury"],"cap_household_year":2}', '2026-01-01T00:00:00Z'),
('education', '金秋助学', '家庭人均收入低于最低生活保障标准，子女在非义务教育阶段就读（高中每年300元，考入大学1000元）', 30000, 300000, 6,
 '["助学申请书","身份证复印件","录取通知书或在读证明"]',
 '[{"level":"street","max_fen":100000},{"level":"district","max_fen":500000},{"level":"city","max_fen":null}]',
 '{"requires_active":true,"max_income_pct":100,"beneficiary":"student","school_stages":["senior","vocational","university"],"cap_member_school_year":1}', '2026-01-01T00:00:00Z'),
('legal', '法律援助', '会员、困难职工、农民工及因维护职工权益受到打击报复的工会干部：法律咨询、代理诉讼', 0, 0, 7,
 '["法律援助申请书","身份证复印件","相关证据材料"]',
 '[{"level":"street","max_fen":100000},{"level":"district","max_fen":500000},{"level":"city","max_fen":null}]',
 '{"requires_active":false}', '2026-01-01T00:00:00Z'),
('employment', '就业援助', '下岗失业人员、领取低保金的会员及困难职工、持《再就业优惠证》的“4050”人员：政策咨询、求职登记、职业介绍、技能培训', 0, 0, 6,
 '["求职登记表","身份证复印件","失业证明或再就业优惠证"]',
 '[{"level":"street","max_fen":100000},{"level":"district","max_fen":500000},{"level":"city","max_fen":null}]',
 '{"requires_active":false}', '2026-01-01T00:00:00Z'),
('condolence', '两节送温暖', '元旦、春节期间走访慰问在档困难职工家庭，按困难类别发放慰问金', 50000, 100000, 10,
 '[]',
 '[{"level":"street","max_fen":100000},{"level":"district","max_fen":500000},{"level":"city","max_fen":null}]',
 '{"requires_active":true}', '2026-01-01T00:00:00Z'),
('microloan', '小额贷款', '自主创业的困难职工：小额创业贷款，按期还款', 2000000, 5000000, 10,
 '["贷款申请书","身份证复印件","创业计划书","担保材料"]',
 '[{"level":"street","max_fen":100000},{"level":"district","max_fen":500000},{"level":"city","max_fen":null}]',
 '{"requires_active":false,"cap_household_year":1}', '2026-01-01T00:00:00Z');
