# The directory as desired state: a plan from HR rows, reviewed as CSV or JSON, applied exactly, and the journal.
# Each Describe has its own sample corp served over loopback HTTP.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
    $script:hr = @(
        'UserId,Name,Mobile,Telephone,Department,Position'
        'lisi,李四,13810000002,,广州研发中心/邮箱产品部;广州研发中心/邮箱产品部/邮箱后台组,技术总监'
        'WangWu,王五,13810000003,020-81000003,/广州研发中心/邮箱产品部/邮箱后台组,后台工程师'
        'chen.xin,陈新,13900000001,020-87654321,广州研发中心/测试部,测试工程师'
    ) | ConvertFrom-Csv
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "wecom-desired-$([guid]::NewGuid())"
    New-Item -ItemType Directory $work | Out-Null

    # What -WhatIf wrote to the host, read back from a transcript.
    function Get-WhatIf([scriptblock] $Command) {
        $path = Join-Path $work "whatif-$([guid]::NewGuid()).txt"
        Start-Transcript -Path $path | Out-Null
        try { & $Command } finally { Stop-Transcript | Out-Null }
        Get-Content $path | Where-Object { $_ -like 'What if:*' }
    }
}

AfterAll {
    if ($script:server) { Stop-TestSandboxServer $script:server }
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Compare-WeComUser' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'writes one item per difference, with only the owned fields as old -> new' {
        $plan = $hr | Compare-WeComUser
        $plan.Count | Should -Be 2
        $lisi = $plan | Where-Object Target -EQ LiSi
        $lisi.Action | Should -Be Update
        $lisi.Changes.Field | Should -Be @('Position', 'Telephone') -Because 'the blank Telephone cell empties it; Email has no column and stays'
        $lisi.Changes['Position'].Old | Should -Be '产品总监'
        $lisi.Changes['Position'].New | Should -Be '技术总监'
        ($plan | Where-Object Target -EQ chen.xin).Action | Should -Be Create
        $plan[0] | Should -BeOfType WeComPS.WeComPlanItem
    }

    It 'warns once about columns that match no field, and compares the others' {
        $rows = 'UserId,Position,Dept,mobile phone', 'LiSi,总监,5,1', 'WangWu,后台工程师,5,2' | ConvertFrom-Csv
        $plan = $rows | Compare-WeComUser -WarningVariable warned -WarningAction SilentlyContinue
        $warned.Count | Should -Be 1
        $warned[0].Message | Should -BeLike '*Dept, mobile phone*'
        ($plan | Where-Object Target -EQ LiSi).Changes.Field | Should -Be @('Position')
    }

    It 'compares only -Property, and lists unchanged members and fields on request' {
        $plan = $hr | Compare-WeComUser -Property Position, Department -IncludeUnchanged -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -Match "chen.xin.*needs a name" -Because 'Name is not owned, and a new member needs one'
        ($plan | Where-Object Target -EQ LiSi).Changes.Field | Should -Be @('Position', 'Department')
        ($plan | Where-Object Target -EQ WangWu).Action | Should -Be Unchanged
    }

    It 'shows a table view of the changes' {
        $text = $hr | Compare-WeComUser | Format-Table | Out-String -Width 300
        $text | Should -Match 'Action\s+Type\s+Target\s+Name\s+Changes'
        $text | Should -Match 'Position: 产品总监 -> 技术总监'
    }

    It 'reports an unknown path and an ambiguous name, naming them, and plans the rest' {
        New-WeComDepartment -Name 测试部 -ParentId 2 | Out-Null
        $rows = 'UserId,Department', 'LiSi,广州研发中心/市场部', 'WangWu,测试部', 'ZhaoLiu,/广州研发中心/测试部' | ConvertFrom-Csv
        $plan = $rows | Compare-WeComUser -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 2
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DepartmentNotFound,*'
        $err[0].Exception.Message | Should -Match '广州研发中心/市场部'
        $err[1].FullyQualifiedErrorId | Should -BeLike 'AmbiguousDepartmentName,*'
        $plan.Target | Should -Be ZhaoLiu
    }

    It 'plans missing departments parents first with -CreateMissingDepartments' {
        $rows = 'UserId,Name,Email,Department', 'lin.hai,林海,lin.hai@example.com,广州研发中心/云事业部/存储组' | ConvertFrom-Csv
        $plan = $rows | Compare-WeComUser -CreateMissingDepartments
        ($plan | ForEach-Object { "$($_.Action) $($_.ObjectType) $($_.Target)" }) | Should -Be @(
            'Create Department /广州研发中心/云事业部'
            'Create Department /广州研发中心/云事业部/存储组'
            'Create User lin.hai')
    }

    It 'plans deletes only when asked, and refuses more than -MaxDelete' {
        ($hr | Compare-WeComUser).Action | Should -Not -Contain Delete
        $plan = $hr | Compare-WeComUser -IncludeDelete -MaxDelete 100%
        ($plan | Where-Object Action -EQ Delete).Count | Should -BeGreaterThan 15
        $hr | Compare-WeComUser -IncludeDelete -MaxDelete 5 -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DeleteLimitExceeded,*'
        { $plan | Invoke-WeComPlan -MaxDelete 10% -Confirm:$false } | Should -Throw -ErrorId 'DeleteLimitExceeded,WeComPS.Commands.InvokeWeComPlanCommand'
        Get-WeComUser XiaoLiu | Should -Not -BeNullOrEmpty
    }
}

Describe 'The default deletion limit' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'stops a plan from a truncated file, as every other deletion does' {
        $truncated = [pscustomobject]@{ UserId = 'ZhangSan'; Name = '张三' }
        $truncated | Compare-WeComUser -IncludeDelete -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DeleteLimitExceeded,*'
        $plan = $truncated | Compare-WeComUser -IncludeDelete -MaxDelete 100%
        { $plan | Invoke-WeComPlan -Confirm:$false } | Should -Throw -ErrorId 'DeleteLimitExceeded,WeComPS.Commands.InvokeWeComPlanCommand'
        (Get-WeComUser -DepartmentId 1 -Recurse).Count | Should -BeGreaterThan 20
    }
}

Describe 'Invoke-WeComPlan' -Tag CI {
    BeforeEach { Connect-FreshCorp }

    It 'applies a plan read back from CSV, and sends nothing under -WhatIf' {
        $path = Join-Path $work 'plan.csv'
        $hr | Compare-WeComUser | Export-Csv $path -NoTypeInformation -Encoding utf8
        Import-Csv $path | Invoke-WeComPlan -WhatIf
        (Get-WeComUser LiSi).Position | Should -Be '产品总监'

        $results = Import-Csv $path | Invoke-WeComPlan -Confirm:$false
        $results.Status | Should -Be @('Succeeded', 'Succeeded')
        (Get-WeComUser LiSi).Position | Should -Be '技术总监'
        (Get-WeComUser LiSi).Telephone | Should -BeNullOrEmpty
        (Get-WeComUser chen.xin).Department | Should -Be @(10)
    }

    It 'applies a plan read back from JSON through an import job with -Strategy Import' {
        $path = Join-Path $work 'plan.json'
        $hr | Compare-WeComUser -Property Position, Department -ErrorAction SilentlyContinue | ConvertTo-Json -Depth 4 | Set-Content $path -Encoding utf8
        $results = Get-Content $path -Raw | ConvertFrom-Json | Invoke-WeComPlan -Strategy Import -Confirm:$false -InformationVariable said
        $results.Strategy | Sort-Object -Unique | Should -Be Import
        $accepted = @($said | Where-Object { $_.Tags -contains 'PSHOST' -and "$($_.MessageData)" -like '*Wait-WeComJob -JobId*' })
        $accepted.Count | Should -Be 1 -Because 'the job id is shown without -Verbose'
        "$($accepted[0].MessageData)" | Should -BeLike "*$($results[0].JobId)*"
        $results.JobId | Sort-Object -Unique | Should -Not -BeNullOrEmpty
        (Get-WeComUser LiSi).Position | Should -Be '技术总监'
        (Get-WeComUser LiSi).Telephone | Should -Not -BeNullOrEmpty -Because 'Telephone was not owned'
    }

    It 'refuses a stale item as an error naming it and applies the others' {
        $plan = $hr | Compare-WeComUser
        Set-WeComUser LiSi -Position 首席产品官
        $results = $plan | Invoke-WeComPlan -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        ($results | Where-Object Target -EQ LiSi).Status | Should -Be Stale
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'StalePlanItem,WeComPS.Commands.InvokeWeComPlanCommand'
        $err[0].Exception.Message | Should -Match 'LiSi.*首席产品官'
        (Get-WeComUser LiSi).Position | Should -Be 首席产品官
        Get-WeComUser chen.xin | Should -Not -BeNullOrEmpty
    }

    It 'creates missing departments, then the member in them, immediately' {
        $rows = 'UserId,Name,Email,Department', 'lin.hai,林海,lin.hai@example.com,广州研发中心/云事业部/存储组' | ConvertFrom-Csv
        $results = $rows | Compare-WeComUser -CreateMissingDepartments | Invoke-WeComPlan -Strategy Immediate -Confirm:$false
        $results.Status | Should -Be @('Succeeded', 'Succeeded', 'Succeeded')
        $storage = Get-WeComDepartment | Where-Object Path -EQ '/广州研发中心/云事业部/存储组'
        (Get-WeComUser lin.hai).Department | Should -Be @($storage.Id)
    }

    It 'journals every applied change to $WeComJournalPath, read back by Get-WeComJournal' {
        $global:WeComJournalPath = Join-Path $work "journal-$([guid]::NewGuid()).jsonl"
        try {
            $plan = $hr | Compare-WeComUser
            Set-WeComUser WangWu -Position 架构师
            $plan | Invoke-WeComPlan -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
            $hr | Compare-WeComUser | Invoke-WeComPlan -Confirm:$false | Out-Null
            $entries = Get-WeComJournal
            $entries.Count | Should -Be 3
            $entries[0] | Should -BeOfType WeComPS.WeComJournalEntry
            $entries.Outcome | Should -Be @('Succeeded', 'Succeeded', 'Succeeded')
            (Get-WeComJournal -Target lisi).Changes[0].Old | Should -Be '产品总监'
            (Get-WeComJournal -Target Wang*).Changes.New | Should -Contain '后台工程师'
            $entries[0].Connection | Should -Be $SandboxCorpId
            $text = Get-Content $WeComJournalPath -Raw
            $text | Should -Not -Match ([regex]::Escape($SandboxSecret))
            $text | Should -Not -Match 'access_token'
        }
        finally {
            Remove-Variable WeComJournalPath -Scope Global
        }
    }
}

Describe 'Compare-WeComDepartment' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'plans departments given by path alone, and Invoke-WeComPlan applies them parents first' {
        $rows = 'Path,Order', '广州研发中心/云事业部/存储组,10', '/广州研发中心/测试部,60' | ConvertFrom-Csv
        $plan = $rows | Compare-WeComDepartment
        ($plan | ForEach-Object { "$($_.Action) $($_.Target)" }) | Should -Be @(
            'Create /广州研发中心/云事业部'
            'Create /广州研发中心/云事业部/存储组'
            'Update /广州研发中心/测试部')
        $plan[2].Summary | Should -Be 'Order: 50 -> 60'
        $results = $plan | Invoke-WeComPlan -Confirm:$false
        $results.Status | Should -Be @('Succeeded', 'Succeeded', 'Succeeded')
        (Get-WeComDepartment | Where-Object Path -EQ '/广州研发中心/云事业部/存储组').Order | Should -Be 10
        (Get-WeComDepartment -Id 10).Order | Should -Be 60
    }

    It 'refuses a name WeCom forbids before anything is sent' {
        'Path', '广州研发中心/坏:名' | ConvertFrom-Csv | Compare-WeComDepartment -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDepartmentName,*'
    }
}

Describe 'Fields beyond the basic ones' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'compares and applies DirectLeader and the named extended attributes, and says why NewUserId is not compared' {
        $rows = 'UserId,DirectLeader,ExtAttr.工号,NewUserId', 'WangWu,lisi,E2003,wang.wu' | ConvertFrom-Csv
        $plan = $rows | Compare-WeComUser -WarningVariable warned -WarningAction SilentlyContinue
        $plan.Changes.Field | Should -Be @('DirectLeader', 'ExtAttr.工号')
        $warned.Message | Should -Match 'NewUserId.*only once'
        ($plan | Invoke-WeComPlan -Confirm:$false).Status | Should -Be Succeeded
        $wangwu = Get-WeComUser WangWu
        $wangwu.DirectLeader | Should -Be @('LiSi')
        $wangwu.ExtAttr['工号'] | Should -Be 'E2003'
        $rows | Compare-WeComUser -WarningAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'keeps the mobile WeCom keeps for an activated member out of every plan and apply' {
        $rows = 'UserId,Mobile,Position', 'LiSi,13900000077,架构师', 'ZhengShi,13900000078,设计师' | ConvertFrom-Csv
        $plan = $rows | Compare-WeComUser -WarningVariable warned -WarningAction SilentlyContinue
        $lisi = $plan | Where-Object Target -EQ LiSi
        $lisi.Changes.Field | Should -Be @('Position')
        $lisi.Kept.Field | Should -Be @('Mobile')
        $lisi.Summary | Should -Match 'Mobile: 13810000002 kept by WeCom'
        $warned.Message | Should -Match 'keeps its own Mobile for 1 member'
        ($plan | Where-Object Target -EQ ZhengShi).Changes.Field | Should -Be @('Mobile') -Because 'ZhengShi never activated'

        $results = $plan | Invoke-WeComPlan -Confirm:$false
        ($results | Where-Object Target -EQ LiSi).Kept.Field | Should -Be @('Mobile')
        ($results | Where-Object Target -EQ LiSi).Changes.Field | Should -Be @('Position')
        (Get-WeComUser LiSi).Mobile | Should -Be '13810000002'
        (Get-WeComUser ZhengShi).Mobile | Should -Be '13900000078'
        $rows | Compare-WeComUser -WarningAction SilentlyContinue | Where-Object Action -NE Unchanged | Should -BeNullOrEmpty

        $old = [pscustomobject]@{ Action = 'Update'; Target = 'LiSi'; Changes = '[{"Field":"Mobile","Old":"13810000002","New":"13900000077"}]' }
        ($old | Invoke-WeComPlan -Confirm:$false).Status | Should -Be Kept
    }
}

Describe 'Invoke-WeComPlan with desired rows' -Tag CI {
    BeforeEach { Connect-FreshCorp }

    It 'plans and applies HR rows in one step, nothing under -WhatIf, with the journal' {
        $hr | Invoke-WeComPlan -WhatIf -WarningAction SilentlyContinue
        (Get-WeComUser LiSi).Position | Should -Be '产品总监'
        $journal = Join-Path $work "rows-$([guid]::NewGuid()).jsonl"
        $results = $hr | Invoke-WeComPlan -Confirm:$false -JournalPath $journal
        $results.Status | Should -Be @('Succeeded', 'Succeeded')
        (Get-WeComUser LiSi).Position | Should -Be '技术总监'
        Get-WeComUser chen.xin | Should -Not -BeNullOrEmpty
        (Get-WeComJournal $journal).Target | Sort-Object | Should -Be @('chen.xin', 'LiSi')
        $hr | Invoke-WeComPlan -Confirm:$false | Should -BeNullOrEmpty -Because 'the directory matches the rows now'
    }

    It 'keeps the deletion limit, and refuses rows it cannot plan as errors naming them' {
        { [pscustomobject]@{ UserId = 'ZhangSan'; Name = '张三' } | Invoke-WeComPlan -IncludeDelete -Confirm:$false } |
            Should -Throw -ErrorId 'DeleteLimitExceeded,WeComPS.Commands.InvokeWeComPlanCommand'
        (Get-WeComUser -DepartmentId 1 -Recurse).Count | Should -BeGreaterThan 20
        $rows = 'UserId,Department,Position', 'LiSi,广州研发中心/市场部,总监', 'WangWu,5,架构师' | ConvertFrom-Csv
        $results = $rows | Invoke-WeComPlan -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DepartmentNotFound,*'
        $results.Target | Should -Be WangWu
    }

    It 'renames and moves departments given by id, parents first, with members on the new paths' {
        $rows = @(
            'Path,Id', '/广州研发中心/邮件产品部/后台组,5', '/广州研发中心/邮件产品部,2', '/广州研发中心/邮件产品部/支付组,7' | ConvertFrom-Csv
            'UserId,Department', 'WangWu,/广州研发中心/邮件产品部/后台组;/广州研发中心/邮件产品部/支付组' | ConvertFrom-Csv
        )
        $lines = Get-WhatIf { $rows | Invoke-WeComPlan -WhatIf }
        $lines | Should -Contain 'What if: Performing the operation "Rename department" on target "/广州研发中心/邮箱产品部: Name: 邮箱产品部 -> 邮件产品部".'
        $lines | Should -Contain 'What if: Performing the operation "Move department" on target "/广州研发中心/微信产品部/支付组: Parent: /广州研发中心/微信产品部 -> /广州研发中心/邮件产品部".'
        (Get-WeComDepartment -Id 2).Name | Should -Be '邮箱产品部'

        $results = $rows | Invoke-WeComPlan -Confirm:$false
        $results.Status | Sort-Object -Unique | Should -Be Succeeded
        (Get-WeComDepartment -Id 5).Path | Should -Be '/广州研发中心/邮件产品部/后台组'
        (Get-WeComDepartment -Id 7).Path | Should -Be '/广州研发中心/邮件产品部/支付组'
        (Get-WeComUser WangWu).Department | Should -Be @(5, 7)
        (Get-WeComUser HuangEr).Department | Should -Be @(7) -Because 'a moved department keeps its members'
    }

    It 'keeps a rename it cannot prove as a create and a delete, and names the likely pair' {
        $rows = Get-WeComDepartment | Where-Object Id -NE 10 | Select-Object Path
        $rows += [pscustomobject]@{ Path = '/广州研发中心/质量部' }
        $plan = $rows | Compare-WeComDepartment -IncludeDelete -WarningVariable warned -WarningAction SilentlyContinue
        ($plan | ForEach-Object { "$($_.Action) $($_.Target)" }) | Should -Be @('Create /广州研发中心/质量部', 'Delete /广州研发中心/测试部')
        $warned.Message | Should -Match '质量部 may be /广州研发中心/测试部 renamed.*Id column \(10\)'
        $plan[0].Note | Should -Be $plan[1].Note
    }
}

Describe 'A corp bound to Tencent Exmail' -Tag CI {
    BeforeAll {
        if ($script:server) { Stop-TestSandboxServer $script:server }
        $script:server = Start-TestSandboxServer -Arguments '--exmail-bound'
        Connect-Corp | Out-Null
    }

    It 'reports an email WeCom kept, never as applied, and the journal keeps it out of the next plan' {
        $journal = Join-Path $work "exmail-$([guid]::NewGuid()).jsonl"
        $rows = 'UserId,Email,Position', 'LiSi,li.si@example.com,架构师' | ConvertFrom-Csv
        $result = $rows | Invoke-WeComPlan -JournalPath $journal -Confirm:$false
        $result.Status | Should -Be Succeeded
        $result.Changes.Field | Should -Be @('Position')
        $result.Kept.Field | Should -Be @('Email')
        (Get-WeComUser LiSi).Email | Should -Not -Be 'li.si@example.com'
        (Get-WeComJournal $journal).Kept.Field | Should -Be @('Email')

        $plan = $rows | Compare-WeComUser -JournalPath $journal -WarningVariable warned -WarningAction SilentlyContinue
        $plan.Action | Should -Be Unchanged
        $plan.Kept.Field | Should -Be @('Email')
        $warned.Message | Should -Match 'keeps its own Email for 1 member'
        ($rows | Compare-WeComUser).Action | Should -Be Update -Because 'without the journal nothing shows that WeCom keeps it'
    }
}
