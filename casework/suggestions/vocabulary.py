"""What a breach of each clause sounds like when a member of staff describes it.

Written from the policy's meaning, in the words staff use ("the class Instagram", "added
her on Snapchat"), not from any labelled incident. Two kinds of knowledge per clause:

* cues: concepts (sets of words and phrases) whose presence, alone or together, points to
  the clause; together they also say *why* a clause was suggested;
* sketches: a few plain sentences describing typical breaches, which the embedding model
  compares with the description, so a wording no cue anticipated can still be recognised.

A profile names the opening words of the clause text it was written for: a later policy
version that reuses a code for a different rule does not inherit the profile, and is then
matched on its own text and summary, and on the trust's decisions, alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from .words import Term

# Concepts: "|" separates terms; a term is a word or phrase; "word*" matches any word that
# begins so; "#" stands for a number (as in "Year 9").
CONCEPTS: dict[str, str] = {
    "work_account_owner": (
        "school | schools | class | department | dept | trust | official | work | year # "
        "| sixth form | form | nursery | reception | pe | library | revision | team | academy "
        "| faculty | subject | music | drama | science | maths | english | geography | history "
        "| sports | club | house | pta | office | revision | homework"
    ),
    "account": (
        "account | page | twitter | instagram | insta | facebook | fb | tiktok | youtube | channel "
        "| feed | x | handle | profile | blog | linkedin"
    ),
    "personal_account": (
        "personal account | personal twitter | personal facebook | personal instagram "
        "| personal tiktok | personal profile | own account | own facebook | own instagram "
        "| own twitter | own profile | personal linkedin | his own | her own | their own "
        "| personal page | private account"
    ),
    "image": (
        "photo* | picture | pic | pics | image | video | clip | film* | selfie | footage "
        "| snap | snaps | recording | record | recorded"
    ),
    # Not "a teacher" or "a TA" alone: that is usually who the concern is about.
    "colleague": (
        "colleague* | co-worker* | coworker* | workmate* | another teacher | other teacher* "
        "| new teacher | teacher asleep | fellow teacher | the head | deputy | head of year "
        "| one of us | us | staff party | staff night | staff christmas | staff do | staff meal "
        "| staff team | staff netball | staff football | staff room | staffroom | other staff "
        "| members of staff | the staff | staff photo* | staff trip | staff training | training day"
    ),
    "pupil": (
        "pupil* | student* | child | kid | boy | girl | boys | girls | year # | sixth former* "
        "| learner* | teenager* | class list | nursery class | school team"
    ),
    "former_pupil": (
        "former pupil* | former student* | ex-pupil* | ex-student* | left year # "
        "| left school | left last | who left | left two years | left the school | alumni "
        "| used to teach"
    ),
    "contact": (
        "friend request* | add* | follow* | message* | messaging | dm | dms | dming "
        "| direct message* | chat* | snapchat | streak* | whatsapp | text* | meet up "
        "| meeting up | accepted | befriend* | friends with | comment* on her | comment* on his "
        "| send* them | sends them | in touch | contact* "
        "| liking | liked her | liked his | likes her | likes his | liked a | likes a "
        "| commenting on | comments on her | comments on his | discord | xbox "
        "| playstation | online games | gaming | plays online | group chat with"
    ),
    "looking_up": (
        "look* up | looked up | search* | checking her | checking his | checking their "
        "| checking a | checked her | checked his | checked their | checked a | checking what "
        "| checking up | checked up | scroll* through | went through "
        "| going through | keep tabs | keeping tabs | stalk* | snoop* | spy* | find out "
        "| to see who | to see what | to see if | work out whether | work out who "
        "| what they're like | dig* | screenshot* her | monitor*"
    ),
    "family": (
        "family | families | mum | mother | dad | father | parent | parents | brother "
        "| sister | partner | household | carer* | step-dad | stepdad | relatives"
    ),
    "pupil_data": (
        "name* and | names | class list | register | report | grades | marks | reading age* "
        "| medical | sen | ehcp | records | spreadsheet | personal data | data protection "
        "| gdpr | consent | photo consent | faces | date of birth | address of "
        "| special needs | ehcp | meltdown | diagnos* | medical"
    ),
    "data_law": (
        "data protection | gdpr | personal data | information commissioner | ico "
        "| code of conduct | codes of conduct | teachers' standards | professional code "
        "| without consent | no consent | no photo consent | said no to photo* | consent form*"
    ),
    "consent": (
        "without asking | without permission | without their permission | without her permission "
        "| without his permission | asked not to | asked her not | asked him not | didn't want "
        "| did not want | not want to be | no permission | never asked | reason not to be "
        "| without consent"
    ),
    "confidential": (
        "confidential* | internal email | internal e-mail | disciplinary | excluded | exclusion "
        "| suspended | investigation | investigated | social services | safeguarding details "
        "| child protection | medical condition | diagnos* | depression | illness | off sick "
        "| sick note | pay list | salar* | payslip* | exam paper | mock paper | test paper "
        "| results before | before results | results spreadsheet | redundanc* | restructur* "
        "| before staff | before anyone | leak* | secret | private information | not supposed "
        "| named pupil | a named | which family | under social | pregnan* | self-harm* | in care "
        "| adopted | arrested | police | court | revealed | outed | told everyone "
        "| private life of "
        "| foster* | taken into care | social worker* | child protection plan | looked after "
        "| custody | miscarriage | maternity | cancer | mental health | health condition "
        "| hospital "
        "| special needs | ehcp | disabilit* | counselling | therapy | affair | divorc*"
    ),
    "complaint": (
        "complain* | moan* | rant* | grievance | unfair* | ignored | ignore | won't listen "
        "| not listening | bullying staff | bullied by | overlooked | treated badly "
        "| treated unfairly | workload | pay progression | pay rise | promotion | flexible working "
        "| instead of raising | instead of reporting | rather than reporting | rather than raising "
        "| instead of putting | instead of going | raised it internally | whistleblow* "
        "| hr are | management ignore | leadership won't | concerns about | not dealing "
        "| union | won't sort* | not sorting | her hours | his hours | my hours | contract "
        "| not being paid | unpaid | overtime | not paid | head won't | management won't "
        "| they won't | tribunal | constructive dismissal | being forced out | hate working"
    ),
    "work_talk": (
        "lesson* | behaved | behaviour of | staff meeting | meeting with a parent | inspection "
        "| ofsted | inspectors | timetable | staffing | results day | exam result* | naughty "
        "| my class | his class | her class | year # group | at work today | today at school "
        "| parents' evening | mocks | marking | cover | department meeting | a meeting "
        "| the meeting | difficult meeting | meeting with | redundanc* "
        "| about a pupil | about her class | about his class | about work"
    ),
    "criticism": (
        "joke | clowns | failing | corrupt* | slag* | slat* | badmouth* | bad-mouth* | trash* "
        "| criticis* | critical of | having a go at | attacking the school "
        "| wastes money | waste of money | sacked | shambles "
        "| disgrace* | useless school | don't send | not to send | avoid the school | mock* "
        "| ridicul* | reputation | local paper | local news | newspaper | went viral | viral "
        "| embarrass* | feral | run by | incompetent | awful school | terrible school "
        "| should be ashamed | governors | lanyard | in her uniform | school uniform"
    ),
    "offensive": (
        "drunk | swear* | racist | racism | homophobic | sexist | misogynist* | crude | rude "
        "| underwear | explicit | nude | naked | sexual | abuse | abusive | shots | falling over "
        "| stag do | hen do | slanging match | calling people | called people | names at "
        "| offensive | jokes about | fight* | brawl* | shouting abuse | vulgar | obscene "
        "| hate | insult* | idiot* | stupid | morons | porn* | sexual | sex | onlyfans "
        "| graphic | violent "
        "| gun | weapon* | knife | threatening | threat* | drugs | cocaine | weed | naked"
    ),
    "identifies": (
        "bio | profile says | says he teach* | says she teach* | teaches at | works at "
        "| proud teacher | introduces himself | introduces herself | mentions being "
        "| being a teacher | lists the trust | employer | from st | teacher at | in her lanyard "
        "| in his lanyard | lanyard | obviously one of our | everyone knows she "
        "| on his profile | on her profile | named on | school named | school on his "
        "| school on her | profile has | profile shows | works for the trust | job title"
    ),
    "unprofessional_talk": (
        "unprofessional | sarcastic | sarcasm | belittl* | insult* | aggressive | voice note "
        "| replied to a parent | reply to a parent | messages parents | messaged a parent "
        "| wrote to parents | never put in a letter | never put that in | never say "
        "| never use in school | never write | how we'd write | language | emoji* | tone "
        "| patronising | condescending | shouting | rude comment | rude message | need to parent "
        "| sent a parent | message to a parent | messaged a parent | messaged parent* "
        "| liar | threaten* | intimidat* | see her at | see him at | telling off | shouted at "
        "| called her | called him"
    ),
    "personal_use": (
        "holiday* | dog | cat | birthday | wedding | sell* | sold | advertis* | promot* "
        "| business | band | gig | personal training | football team results | his football "
        "| her football | furniture | private classes | private tuition | tutoring | side hustle "
        "| personal stuff | personal photos | own band | night out | her family | his family"
    ),
    "account_name": "called | named | name | username | user name | handle | nickname | @*",
    "name_of_account": "username | user name | nickname | random name | account name*",
    "unclear_owner": (
        "no mention of the school | nothing says | doesn't say | doesn't look like a school "
        "| not labelled | not clear it's | nobody would know | belongs to the school "
        "| realise it's official | unnamed | random username | random name | anonymous account "
        "| simply called | @*"
    ),
    "private_but_spread": (
        "private account | private instagram | private facebook | private story | private group "
        "| locked | friends only | only friends | close friends | only visible | only family "
        "| thought it was private | thinking only | screenshot* | deleted | deleted it "
        "| shared widely | going round | went round | doing the rounds | reposted | passed "
        "| all over | sent round | spread "
        "| group chat | forward* | it was private | was private | private chat "
        "| private message* | sent round | shared it | screenshots"
    ),
    "personal_details": (
        "completely public | fully public | wide open | public profile | profile is public "
        "| is public | public strava | no privacy | privacy setting* | home address | address "
        "| where he lives | where she lives | where they live "
        "| his house | her house | phone number "
        "| mobile number | personal number | car registration | number plate | check-in* "
        "| location | dating profile | dating app | can see everything | found her | found his "
        "| worked out where | strava | personal details "
        "| street name | house number | street | postcode | in the background "
        "| where i live | registration | door number | front door | outside her house "
        "| outside his house | her address | his address"
    ),
    "public_info_edit": (
        "wikipedia | google listing | google maps | google business | google page | google review* "
        "| business profile | edit* | rewrote | rewrite | updat* | changed the school's "
        "| opening hours | opening times | description | entry | article | listing"
    ),
    "comments_open": (
        "comments open | comments switched on | comments turned on | open comments "
        "| lets anyone comment | anyone can comment "
        "| allows anyone | replies open | leaves replies "
        "| turned off replies | turn off replies | turn off comments | comment section "
        "| comments section | underneath | under the post* | under every post | under a "
        "| nasty comments | rude replies | strange replies | comments about | replies under"
    ),
    "education_views": (
        "education policy | education | opinions on schools | opinions about schools "
        "| views on ofsted | views on education | about teaching | teaching tiktok | edu "
        "| lesson ideas | exclusions | behaviour policy | thousands of followers "
        "| teacher influencer | mixed in "
        "| mixing | linked to his personal | linked to her personal "
        "| argue with other teachers | ranting about education"
    ),
    "views": (
        "views | view | opinion* | political | politics | election | party | government "
        "| campaign | petition | religion | religious | abortion | immigra* | court case "
        "| controversial | against the church | church's teaching | ethos | brexit | vote "
        "| protest | supporting a"
    ),
    "speaks_for_school": (
        "crest | logo | badge | on behalf of | speaking for | speaks for | school's view "
        "| school's position | we at the school | at st | views are her own | views are his own "
        "| views my own | just her views | just his views | as if he's | as though | represent* "
        "| head of english, | primary teacher | think it's the school's"
    ),
    "create_account": (
        "set up | setting up | created | create | made a | started a | opened a | new account "
        "| new page | new group | new instagram | new channel | memes | alumni | unofficial "
        "| unapproved | as if it's ours "
        "| running it | without asking anyone | nobody gave permission "
        "| without permission | without telling"
    ),
    "two_way": (
        "replying | replies to | reply to | answer* them | answers them | conversation* | chat* "
        "| chatting | dms | dm | direct messages | back and forth | back-and-forth | arguing back "
        "| message pupils | messages pupils | private messages | messenger | inbox | responding"
    ),
}


@dataclass(frozen=True)
class Cue:
    """Concepts that, all present, point to a clause; `within` words of each other if set."""

    concepts: tuple[str, ...]
    weight: float
    within: int | None = None


@dataclass(frozen=True)
class Profile:
    code: str
    describes: str  # the opening words of the clause text this profile was written for
    cues: tuple[Cue, ...]
    sketches: tuple[str, ...]


def cue(*concepts: str, weight: float, within: int | None = None) -> Cue:
    return Cue(concepts=concepts, weight=weight, within=within)


# Concepts made of two others found close together: "the class Instagram", "the school's
# Facebook page", "the PE department's account".
# The first comes before the second, with at most that many words between them.
NEAR: dict[str, tuple[str, str, int]] = {
    "work_account": ("work_account_owner", "account", 1),
    "account_named": ("account", "account_name", 1),  # "an Instagram called @..."
}

PROFILES: tuple[Profile, ...] = (
    Profile(
        "GEN-1",
        "It is recognised that many members of the school workforce use social media",
        (
            cue("offensive", weight=1.2),
            cue("identifies", weight=0.7),
            cue("identifies", "offensive", weight=0.8),
        ),
        (
            "a teacher whose profile says where they work posted offensive, drunken or "
            "explicit content",
            "staff member known as a teacher online posting racist, sexist or abusive jokes",
            "inappropriate behaviour online by someone who identifies as working at the school",
        ),
    ),
    Profile(
        "GEN-2",
        "When using social media, members of the trust workforce are expected to comply",
        (
            cue("data_law", weight=1.3),
            cue("image", "pupil", weight=1.1),
            cue("pupil_data", "pupil", weight=0.6),
        ),
        (
            "posted photos of pupils without parental consent on a personal account",
            "shared children's names, records or personal data online against data protection law",
            "broke the professional code of conduct by sharing pupils' information online",
        ),
    ),
    Profile(
        "GEN-3",
        "Members of the trust workforce should use existing school or trust central team",
        (cue("complaint", weight=1.3),),
        (
            "complained publicly on social media about management, pay or workload instead of "
            "raising a grievance",
            "aired a concern about the school online rather than going to the head or HR",
            "posted that they had been treated unfairly at work",
        ),
    ),
    Profile(
        "GEN-4",
        "Members of the trust workforce should not use social media to inform professional",
        (
            cue("looking_up", "family", weight=1.5),
            cue("looking_up", "pupil", weight=1.3),
            cue("looking_up", weight=0.4),
        ),
        (
            "looked up a pupil's parents on Facebook to find out about the family",
            "checked a child's social media profile to see what they were doing",
            "searched online for information about a pupil's family circumstances",
        ),
    ),
    Profile(
        "GEN-5",
        "Please remember that any use of social media is subject to the same professional",
        (cue("unprofessional_talk", weight=1.2),),
        (
            "sent rude, sarcastic or aggressive messages to parents or colleagues online",
            "wrote to a parent on social media in a way they would never write in a school letter",
            "unprofessional language and tone in online messages and comments",
        ),
    ),
    Profile(
        "DO-1",
        "Restrict the use of work social media accounts to work related matters only",
        (
            cue("work_account", weight=0.35),
            cue("personal_use", weight=0.4),
            cue("work_account", "personal_use", weight=0.9),
        ),
        (
            "the class or school account was used for the teacher's personal posts and holidays",
            "using the department's social media page to sell things or promote a private business",
            "personal photos and non-school matters posted on a work account",
        ),
    ),
    Profile(
        "DO-2",
        "Ensure that work social media accounts are clearly named as such",
        (
            cue("account_named", weight=0.8),
            cue("name_of_account", weight=0.6),
            cue("unclear_owner", weight=0.9),
            cue("account_named", "work_account", weight=0.5),
        ),
        (
            "a class or department account whose name does not show it belongs to the school",
            "school updates posted from an account with a personal nickname or random username",
            "a work account not clearly labelled as the school's",
        ),
    ),
    Profile(
        "DO-3",
        "Remember that everything you post is public",
        (cue("private_but_spread", weight=1.2),),
        (
            "posted on a private account thinking only friends would see, but it was "
            "screenshotted and shared",
            "deleted a post but screenshots of it are still going round",
            "something posted to close friends was passed on and reposted",
        ),
    ),
    Profile(
        "DO-4",
        "Protect your privacy as much as possible",
        (cue("personal_details", weight=1.2),),
        (
            "a completely public profile showing their home address and phone number",
            "pupils found the teacher's personal details because the privacy settings are open",
            "posted where they live and personal information publicly",
        ),
    ),
    Profile(
        "DO-5",
        "Respect the privacy of others and be considerate to colleagues",
        (cue("image", "colleague", weight=1.6), cue("colleague", "consent", weight=0.5)),
        (
            "posted photos of colleagues from the staff night out without asking them",
            "shared a picture or video of another teacher without their permission",
            "tagged colleagues in pictures they did not want online",
        ),
    ),
    Profile(
        "DO-6",
        "Always check with the school lead for online services before amending",
        (cue("public_info_edit", weight=1.0),),
        (
            "edited the school's Wikipedia page without telling anyone",
            "changed the school's Google listing or opening hours without checking",
            "updated public information about the school online anonymously",
        ),
    ),
    Profile(
        "DO-7",
        "Set privacy levels on work social media accounts related to work",
        (cue("comments_open", weight=1.0), cue("comments_open", "work_account", weight=0.6)),
        (
            "the school's page has comments open and parents argue underneath the posts",
            "replies were left switched on for the class account and people post rude replies",
            "nobody turned off comments on the department's social media account",
        ),
    ),
    Profile(
        "DO-8",
        "Be careful with accounts that overlap your public and private lives",
        (
            cue("education_views", weight=1.0),
            cue("education_views", "personal_account", weight=0.4),
        ),
        (
            "a personal account where the teacher shares views on education alongside their "
            "private life",
            "a teaching blog or edu account mixing opinions on schools with personal posts",
            "parents and pupils follow the teacher's personal account about education",
        ),
    ),
    Profile(
        "DONT-1",
        "Express personal views on work accounts that are not compatible",
        (
            cue("views", weight=0.4),
            cue("work_account", "views", weight=1.0),
            cue("work_account", weight=0.3),
        ),
        (
            "posted political opinions on the school's official account",
            "the department account shared a personal view that goes against the school's ethos",
            "personal views about religion or politics on a work account",
        ),
    ),
    Profile(
        "DONT-2",
        "State or imply that your personal account represents the school",
        (cue("speaks_for_school", weight=1.2), cue("personal_account", weight=0.4)),
        (
            "uses the school logo on a personal account and posts as if speaking for the school",
            "personal posts claim to give the school's position without saying views are their own",
            "a personal profile that looks like it represents the school",
        ),
    ),
    Profile(
        "DONT-3",
        "Discuss work related issues via social media",
        (cue("work_talk", weight=1.1),),
        (
            "posted about what happened in lessons, staff meetings or with parents at work",
            "wrote online about their class's behaviour and problems in the department",
            "discussed the school's inspection or timetable changes on social media",
        ),
    ),
    Profile(
        "DONT-4",
        "Accept friend requests or use social media to communicate with current pupils",
        (
            cue("contact", "pupil", weight=1.6),
            cue("former_pupil", weight=1.0),
            cue("contact", "former_pupil", weight=0.5),
        ),
        (
            "accepted a pupil's friend request and has been messaging them",
            "following students on Snapchat and chatting with them privately",
            "contacting a former pupil who left school recently on Instagram",
        ),
    ),
    Profile(
        "DONT-5",
        "Share confidential information online on any social media account",
        (cue("confidential", weight=1.4),),
        (
            "posted confidential information about a pupil's exclusion or medical condition",
            "shared an internal email about a colleague's disciplinary online",
            "leaked exam papers, pay details or safeguarding information on social media",
        ),
    ),
    Profile(
        "DONT-6",
        "Create any account relating to the trust or school unless you have permission",
        (cue("create_account", weight=0.8), cue("create_account", "account", weight=0.8)),
        (
            "set up an unofficial school account without permission",
            "created a Facebook group or Instagram page using the school's name without asking",
            "opened a new account for the class or team without telling the school",
        ),
    ),
    Profile(
        "DONT-7",
        "Use work social media accounts for two-way conversation",
        (cue("two_way", weight=0.5), cue("two_way", "work_account", weight=1.1)),
        (
            "the school account is replying to pupils' direct messages and chatting with them",
            "a teacher has back-and-forth conversations with parents through the school's page",
            "using the class account to message pupils privately",
        ),
    ),
    Profile(
        "DONT-8",
        "Bring the trust or school into disrepute",
        (cue("criticism", weight=1.2),),
        (
            "publicly criticised the school and told people not to send their children there",
            "posted that the trust is failing or corrupt, damaging its reputation",
            "embarrassing behaviour that went viral and was in the local news",
        ),
    ),
)


def parsed_concepts() -> dict[str, tuple[Term, ...]]:
    return {
        name: tuple(Term.parse(term.strip()) for term in terms.split("|") if term.strip())
        for name, terms in CONCEPTS.items()
    }
