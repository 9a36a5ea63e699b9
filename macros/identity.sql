{#- Which systems identity resolution reads. The engine itself (comparisons, blocking, estimation,
    clustering) is the Python package c360/identity/; its dbt models are thin adapters. -#}

{#- The source systems the configuration ingests (the Makefile passes them as the var
    source_systems; without it, every demo system). -#}
{% macro configured_systems() -%}
    {{ return(var('source_systems', var('demo_systems'))) }}
{%- endmacro %}

{#- E-mail clicks can tie subscribers to shop accounts only with e-mail, web and shop data:
    int_email_clicks_linked is built, and int_person_activity_keys reads it, exactly then. -#}
{% macro email_click_links_enabled() -%}
    {%- set systems = configured_systems() -%}
    {{ return('email' in systems and 'web' in systems and 'shop' in systems) }}
{%- endmacro %}
