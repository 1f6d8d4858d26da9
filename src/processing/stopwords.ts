// Function words that never make a topic on their own (English; chat-specific fillers added).
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all am an and any are aren't as at be because been before being below between both but by " +
    "can can't cannot could couldn't did didn't do does doesn't doing don't dont down during each few for from further had hadn't has " +
    "hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm im i've ive if in " +
    "into is isn't it it's its itself let's me more most mustn't my myself no nor not of off on once only or other ought our ours " +
    "ourselves out over own same shan't she she'd she'll she's should shouldn't so some such than that that's thats the their theirs them " +
    "themselves then there there's these they they'd they'll they're they've this those through to too under until up very was wasn't we " +
    "we'd we'll we're we've were weren't what what's whats when when's where where's which while who who's whom why why's with won't " +
    "would wouldn't you you'd you'll you're youre you've your yours yourself yourselves just like get got go going gonna wanna u ur r " +
    "yeah yes yea ya oh ok okay one also now still even really much well know think see say said want need make way thing things " +
    "lol lmao chat guys guy people dude bro man im its thats gets getting did does"
  ).split(" "),
);
