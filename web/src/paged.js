// A paged list whose filters live in the URL: query() gives the API filters,
// go(p) writes them and the page to the URL and loads; resize(n) changes the
// page size.  Answers are the API's {items, total}.
import { ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { api } from './api.js';
import { showError } from './ui.js';

export function usePagedList(path, query) {
  const route = useRoute();
  const router = useRouter();
  const items = ref([]);
  const total = ref(0);
  const limit = ref(20);
  const page = ref(Number(route.query.page) || 1);
  const loading = ref(false);
  async function load() {
    loading.value = true;
    try {
      const r = await api.get(path, { ...query(), limit: limit.value, offset: (page.value - 1) * limit.value });
      items.value = r.items;
      total.value = r.total;
    } catch (e) {
      showError(e);
    } finally {
      loading.value = false;
    }
  }
  function go(p) {
    page.value = p;
    router.replace({ query: { ...query(), page: p > 1 ? p : undefined } });
    load();
  }
  function resize(n) {
    limit.value = n;
    go(1);
  }
  return { items, total, limit, page, loading, load, go, resize };
}
