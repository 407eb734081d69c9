-- Seeds the admin panel's bench: :conversations conversations of 5 turns each (customer message +
-- reply), spread over the last 30 days; 80% answered by the model (with tokens), 5% offline, 10%
-- fallback, 5% handed to an operator (with a handoff row). Run by bench/admin-pages.ts via pg.
insert into operator (telegram_user_id, chat_id, name, username, status, on_duty)
select 900000 + i, (900000 + i)::text, 'Operator ' || i, 'op' || i,
       (array['approved', 'approved', 'pending', 'disabled'])[1 + i % 4], i % 4 = 0
from generate_series(1, 8) i;

insert into conversation (channel, chat_id, sender_name, created_at, updated_at)
select case when i % 10 < 7 then 'web' else 'telegram' end,
       case when i % 10 < 7 then 'bench-' || md5(i::text) else (5000000 + i)::text end,
       case when i % 10 < 7 then null else 'Customer ' || i end,
       now() - ((i % 30) || ' days')::interval - ((i % 1440) || ' minutes')::interval,
       now() - ((i % 30) || ' days')::interval - ((i % 1440) || ' minutes')::interval + interval '10 minutes'
from generate_series(1, $1::int) i;

with q(texts) as (
  select array['Какие у вас синие пленки?', 'Сколько стоит доставка в Казань?', 'Есть ли оракал 641 белый матовый?',
               'Какой режим работы склада?', 'Можно ли оплатить картой?', 'Нужен баннер 3x6 метров', 'Позовите оператора',
               'Чем отличается литая пленка от каламандрированной?', 'Есть ли самовывоз из Москвы?', 'Какая ширина рулона?']
)
insert into message (conversation_id, author, kind, text, external_id, status, handoff, created_at)
select c.id, 'CUSTOMER', 'text', q.texts[1 + (c.id::int * 7 + t) % 10], 'bench-' || t,
       case when (c.id::int * 13 + t) % 20 < 16 then 'answered' when (c.id::int * 13 + t) % 20 = 16 then 'offline'
            when (c.id::int * 13 + t) % 20 < 19 then 'fallback' else 'operator' end,
       case when (c.id::int * 13 + t) % 20 = 19 then (array['customer_request', 'out_of_depth'])[1 + c.id::int % 2] end,
       c.created_at + (t * 2) * interval '1 minute'
from conversation c, generate_series(1, 5) t, q
where c.chat_id like 'bench-%' or c.sender_name like 'Customer %';

insert into message (conversation_id, author, kind, text, reply_to_id, delivered_at, input_tokens, output_tokens, total_tokens, model_version, created_at)
select m.conversation_id, case when m.status = 'operator' then 'OPERATOR' else 'GPT' end,
       case m.status when 'answered' then 'answer' when 'operator' then 'operator' else m.status end,
       'Ответ на: ' || m.text, m.id, m.created_at + interval '5 seconds',
       case when m.status = 'answered' then 1500 + m.id::int % 500 end, case when m.status = 'answered' then 80 + m.id::int % 120 end,
       case when m.status = 'answered' then 1580 + m.id::int % 620 end, case when m.status = 'answered' then '23.10.2024' end,
       m.created_at + ((1 + m.id::int % 8) || ' seconds')::interval
from message m where m.author = 'CUSTOMER' and m.external_id like 'bench-%';

insert into handoff (conversation_id, state, reason, operator_id, requested_at, offered_at, accepted_at, closed_at)
select distinct on (m.conversation_id) m.conversation_id, 'finished', m.handoff, (select min(id) from operator),
       m.created_at, m.created_at, m.created_at + ((10 + m.id::int % 120) || ' seconds')::interval, m.created_at + interval '9 minutes'
from message m where m.handoff is not null and m.external_id like 'bench-%' order by m.conversation_id, m.id;

analyze;
