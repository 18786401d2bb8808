import { createApp } from 'vue';
import 'element-plus/theme-chalk/base.css';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import './style.css';
import App from './App.vue';
import { router } from './router.js';

createApp(App).use(router).mount('#app');
