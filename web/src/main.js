import { createApp } from 'vue';
import 'element-plus/theme-chalk/base.css';
import './style.css';
import App from './App.vue';
import { router } from './router.js';

// v-pager-label on an el-pagination: its page-size select has no accessible name of its own.
const pagerLabel = (el) => {
  const i = el.querySelector('.el-pagination__sizes input');
  if (i && !i.getAttribute('aria-label')) i.setAttribute('aria-label', '每页条数');
};

createApp(App).use(router).directive('pager-label', { mounted: pagerLabel, updated: pagerLabel }).mount('#app');
