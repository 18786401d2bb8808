import { createRouter, createWebHistory } from 'vue-router';
import { session, restore, clearSession } from './session.js';
import { setUnauthenticatedHandler } from './api.js';
import { resetCaches } from './ui.js';
// Every screen is a chunk of its own, loaded when first shown; so is the frame
// around them (Layout: menu, top bar), which the login page does not need.
const Layout = () => import('./views/Layout.vue');
const Login = () => import('./views/Login.vue');

const V = {
  Dashboard: () => import('./views/Dashboard.vue'),
  HouseholdList: () => import('./views/HouseholdList.vue'),
  HouseholdForm: () => import('./views/HouseholdForm.vue'),
  HouseholdDetail: () => import('./views/HouseholdDetail.vue'),
  ApplicationList: () => import('./views/ApplicationList.vue'),
  ApplicationForm: () => import('./views/ApplicationForm.vue'),
  ApplicationDetail: () => import('./views/ApplicationDetail.vue'),
  CaseList: () => import('./views/CaseList.vue'),
  CaseForm: () => import('./views/CaseForm.vue'),
  CaseDetail: () => import('./views/CaseDetail.vue'),
  Funds: () => import('./views/Funds.vue'),
  Campaigns: () => import('./views/Campaigns.vue'),
  Orgs: () => import('./views/admin/Orgs.vue'),
  Users: () => import('./views/admin/Users.vue'),
  Programs: () => import('./views/admin/Programs.vue'),
  Standards: () => import('./views/admin/Standards.vue'),
  Calendar: () => import('./views/admin/Calendar.vue'),
  Audit: () => import('./views/Audit.vue'),
  Employment: () => import('./views/Employment.vue'),
  Cards: () => import('./views/Cards.vue'),
  Outreach: () => import('./views/Outreach.vue'),
  Import: () => import('./views/Import.vue'),
  Reports: () => import('./views/Reports.vue'),
  ClueList: () => import('./views/ClueList.vue'),
  ClueForm: () => import('./views/ClueForm.vue'),
  MutualPlans: () => import('./views/mutual/Plans.vue'),
  MutualPlan: () => import('./views/mutual/Plan.vue'),
  MutualClaims: () => import('./views/mutual/Claims.vue'),
  MutualClaim: () => import('./views/mutual/Claim.vue'),
};

const routes = [
  { path: '/login', name: 'login', component: Login, meta: { title: '登录', public: true } },
  {
    path: '/',
    component: Layout,
    children: [
      { path: '', redirect: '/dashboard' },
      { path: 'dashboard', name: 'dashboard', component: V.Dashboard, meta: { title: '工作台' } },
      { path: 'households', name: 'households', component: V.HouseholdList, meta: { title: '困难职工档案' } },
      { path: 'households/new', name: 'household-new', component: V.HouseholdForm, meta: { title: '新建档案', roles: ['staff', 'admin'] } },
      { path: 'households/:id', name: 'household', component: V.HouseholdDetail, meta: { title: '档案详情' } },
      { path: 'households/:id/edit', name: 'household-edit', component: V.HouseholdForm, meta: { title: '编辑档案', roles: ['staff', 'admin'] } },
      { path: 'applications', name: 'applications', component: V.ApplicationList, meta: { title: '帮扶申请' } },
      { path: 'applications/new', name: 'application-new', component: V.ApplicationForm, meta: { title: '新建申请', roles: ['staff', 'admin'] } },
      { path: 'applications/:id', name: 'application', component: V.ApplicationDetail, meta: { title: '申请详情' } },
      // informant: true — the only screens of an informant (信息员), API.md "Found early"
      { path: 'clues', name: 'clues', component: V.ClueList, meta: { title: '困难线索', informant: true } },
      { path: 'clues/new', name: 'clue-new', component: V.ClueForm, meta: { title: '上报线索', informant: true, roles: ['informant', 'staff', 'admin'] } },
      { path: 'cases', name: 'cases', component: V.CaseList, meta: { title: '信访接待' } },
      { path: 'cases/new', name: 'case-new', component: V.CaseForm, meta: { title: '登记来访来电', roles: ['staff', 'admin'] } },
      { path: 'cases/:id', name: 'case', component: V.CaseDetail, meta: { title: '个案详情' } },
      { path: 'funds', name: 'funds', component: V.Funds, meta: { title: '资金账户' } },
      { path: 'campaigns', name: 'campaigns', component: V.Campaigns, meta: { title: '两节送温暖' } },
      { path: 'employment', name: 'employment', component: V.Employment, meta: { title: '就业服务' } },
      { path: 'cards', name: 'cards', component: V.Cards, meta: { title: '爱心卡' } },
      { path: 'outreach', name: 'outreach', component: V.Outreach, meta: { title: '活动与外联' } },
      { path: 'admin/orgs', name: 'orgs', component: V.Orgs, meta: { title: '组织机构' } },
      { path: 'admin/users', name: 'users', component: V.Users, meta: { title: '用户管理', roles: ['admin'] } },
      { path: 'admin/programs', name: 'programs', component: V.Programs, meta: { title: '帮扶项目' } },
      { path: 'admin/standards', name: 'standards', component: V.Standards, meta: { title: '低保标准' } },
      { path: 'admin/calendar', name: 'calendar', component: V.Calendar, meta: { title: '工作日历' } },
      { path: 'imports', name: 'imports', component: V.Import, meta: { title: '导入普查表', roles: ['staff', 'admin'] } },
      { path: 'mutual-aid/plans', name: 'mutual-plans', component: V.MutualPlans, meta: { title: '互助保障计划' } },
      { path: 'mutual-aid/plans/:id', name: 'mutual-plan', component: V.MutualPlan, meta: { title: '互助保障计划' } },
      { path: 'mutual-aid/claims', name: 'mutual-claims', component: V.MutualClaims, meta: { title: '互助保障理赔' } },
      { path: 'mutual-aid/claims/:id', name: 'mutual-claim', component: V.MutualClaim, meta: { title: '理赔详情' } },
      { path: 'reports', name: 'reports', component: V.Reports, meta: { title: '统计报表' } },
      { path: 'audit', name: 'audit', component: V.Audit, meta: { title: '审计日志', roles: ['admin', 'viewer'] } },
      { path: ':pathMatch(.*)*', name: 'notfound', component: () => import('./views/NotFound.vue'), meta: { title: '页面不存在' } },
    ],
  },
];

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: (to, from, saved) => saved || { top: 0 },
});

router.beforeEach(async (to) => {
  if (!session.ready) await restore();
  if (to.meta.public) {
    if (to.name === 'login' && session.user) return { path: '/dashboard' };
    return true;
  }
  if (!session.user) return { name: 'login', query: to.fullPath !== '/' && to.fullPath !== '/dashboard' ? { next: to.fullPath } : {} };
  if (session.user.role === 'informant' && !to.meta.informant) return { path: '/clues' };
  const roles = to.meta.roles;
  if (roles && !roles.includes(session.user.role)) return { path: '/dashboard' };
  return true;
});

router.afterEach((to) => {
  document.title = (to.meta.title ? to.meta.title + ' - ' : '') + '困难职工帮扶管理系统';
});

setUnauthenticatedHandler(() => {
  const was = !!session.user;
  clearSession();
  resetCaches();
  const cur = router.currentRoute.value;
  if (cur.name !== 'login') {
    router.replace({ name: 'login', query: { next: cur.fullPath, expired: was ? '1' : undefined } });
  }
});

// A chunk that fails to load (a new version was deployed, or a flaky connection):
// reload the target page once instead of leaving the user on a blank screen.
const CHUNK_ERR = /Failed to fetch dynamically imported module|Unable to preload CSS|Importing a module script failed|error loading dynamically imported module/i;
router.onError((err, to) => {
  if (!CHUNK_ERR.test(String(err && err.message))) return;
  const key = 'bangfu.reload:' + to.fullPath;
  if (sessionStorage.getItem(key)) return;
  sessionStorage.setItem(key, '1');
  window.location.assign(to.fullPath);
});
router.afterEach((to) => sessionStorage.removeItem('bangfu.reload:' + to.fullPath));
